from __future__ import annotations

from django.contrib import admin

from simlane.core.adminbase import ModelAdmin

from .models import AuditEntry, MemberLink, NumberClaim, NumberConfig


@admin.register(NumberConfig)
class NumberConfigAdmin(ModelAdmin):
    list_display = ("guild_id", "league_id", "min_number", "max_number", "auto_sync_minutes", "last_sync_at")
    search_fields = ("guild_id", "league_id")


@admin.register(NumberClaim)
class NumberClaimAdmin(ModelAdmin):
    list_display = ("number", "pool", "discord_name", "guild_id", "status", "active", "created_at")
    list_filter = ("status", "active")
    search_fields = ("number", "discord_name", "discord_user_id", "guild_id")


@admin.register(MemberLink)
class MemberLinkAdmin(ModelAdmin):
    list_display = ("discord_user_id", "cust_id", "iracing_name", "verified", "guild_id")
    list_filter = ("verified",)
    search_fields = ("iracing_name", "cust_id", "discord_user_id")


@admin.register(AuditEntry)
class AuditEntryAdmin(ModelAdmin):
    list_display = ("created_at", "guild_id", "actor_id", "action", "number", "details")
    list_filter = ("action",)
    search_fields = ("guild_id", "number", "details")
