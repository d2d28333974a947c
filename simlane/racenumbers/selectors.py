"""Reads for car numbers; every query is scoped to one server."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import QuerySet

from .models import AuditEntry, MemberLink, NumberClaim, NumberConfig, NumberTrade, TradeStatus
from .numbers import number_key


def number_config_get(*, guild_id: int) -> NumberConfig:
    """The server's configuration, or the defaults (unsaved) before /setup."""
    return NumberConfig.objects.filter(guild_id=guild_id).first() or NumberConfig(guild_id=guild_id)


def active_claims(*, guild_id: int, pool: str | None = None) -> QuerySet[NumberClaim]:
    qs = NumberClaim.objects.filter(guild_id=guild_id, active=True)
    if pool is not None:
        qs = qs.filter(pool=pool)
    return qs.order_by("pool", "number_key")


def claim_list(*, guild_id: int, pool: str | None = None) -> list[NumberClaim]:
    claims = list(active_claims(guild_id=guild_id, pool=pool))
    return sorted(claims, key=lambda c: (c.pool, int(c.number), c.number))


def claim_holder(*, guild_id: int, pool: str, key: str) -> NumberClaim | None:
    return NumberClaim.objects.filter(guild_id=guild_id, pool=pool, number_key=key, active=True).first()


def member_claims(*, guild_id: int, user_id: int) -> list[NumberClaim]:
    return list(active_claims(guild_id=guild_id).filter(discord_user_id=user_id))


def number_history(*, guild_id: int, pool: str, key: str) -> list[NumberClaim]:
    """Everyone who held the number, newest first."""
    return list(
        NumberClaim.objects.filter(guild_id=guild_id, pool=pool, number_key=key).order_by("-created_at", "-id")[:10]
    )


def available_numbers(*, config: NumberConfig, pool: str) -> list[str]:
    taken = set(active_claims(guild_id=config.guild_id, pool=pool).values_list("number_key", flat=True))
    out = []
    for value in range(config.min_number, config.max_number + 1):
        key = number_key(str(value), leading_zeros_distinct=config.leading_zeros_distinct)
        if key not in taken:
            out.append(str(value))
    return out


def links_by_user(*, guild_id: int) -> dict[int, MemberLink]:
    return {link.discord_user_id: link for link in MemberLink.objects.filter(guild_id=guild_id)}


def link_get(*, guild_id: int, user_id: int) -> MemberLink | None:
    return MemberLink.objects.filter(guild_id=guild_id, discord_user_id=user_id).first()


def audit_entries(*, guild_id: int, limit: int = 500) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(guild_id=guild_id)[:limit])


def configs_due_for_sync(*, now: datetime) -> list[NumberConfig]:
    """Servers with auto-sync on whose last sync is older than their interval."""
    due = []
    for config in NumberConfig.objects.filter(auto_sync_minutes__gt=0, league_id__isnull=False):
        if config.last_sync_at is None or now - config.last_sync_at >= timedelta(minutes=config.auto_sync_minutes):
            due.append(config)
    return due


def pending_trades(*, guild_id: int, now: datetime) -> list[NumberTrade]:
    """Swap offers still waiting for an answer (not yet expired), oldest first."""
    return list(
        NumberTrade.objects.filter(guild_id=guild_id, status=TradeStatus.PENDING, expires_at__gt=now).order_by(
            "created_at", "id"
        )
    )
