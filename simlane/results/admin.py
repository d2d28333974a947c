from __future__ import annotations

from django.contrib import admin

from simlane.core.adminbase import ModelAdmin

from .models import GuildResultsConfig, PostedResult, TrackedDriver


@admin.register(GuildResultsConfig)
class GuildResultsConfigAdmin(ModelAdmin):
    list_display = ("guild_id", "channel_id", "mode", "status", "status_reason")
    list_filter = ("status", "mode")
    search_fields = ("guild_id",)


@admin.register(TrackedDriver)
class TrackedDriverAdmin(ModelAdmin):
    list_display = ("display_name", "cust_id", "guild_id", "tracked_since")
    search_fields = ("display_name", "cust_id", "guild_id")


@admin.register(PostedResult)
class PostedResultAdmin(ModelAdmin):
    list_display = ("subsession_id", "cust_id", "guild_id", "status", "attempts", "posted_at", "last_error")
    list_filter = ("status",)
    search_fields = ("subsession_id", "cust_id", "guild_id")
