"""Writes of the bot-health snapshots (only the bot calls these: it is the one that can see the server)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..models import BotGuildHealth


@dataclass(frozen=True)
class ChannelUse:
    """A channel SimLane posts in, and the server-side permissions the bot lacks there."""

    use: str  # "results" or "announcements"
    channel_id: int
    name: str
    exists: bool
    missing: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "use": self.use,
            "channel_id": str(self.channel_id),  # snowflakes exceed JavaScript's safe integers
            "name": self.name,
            "exists": self.exists,
            "missing": list(self.missing),
        }


@dataclass(frozen=True)
class Snapshot:
    """What the bot computed from its gateway cache for one server."""

    guild_id: int
    guild_name: str
    missing_by_feature: dict[str, list[str]]
    channel_uses: list[ChannelUse] = field(default_factory=list)
    channels: list[dict[str, Any]] = field(default_factory=list)


def health_record(*, snapshot: Snapshot, now: datetime) -> BotGuildHealth:
    """Store the bot's view of one server, replacing the last one; the bot is connected there."""
    row, _ = BotGuildHealth.objects.update_or_create(
        guild_id=snapshot.guild_id,
        defaults={
            "guild_name": snapshot.guild_name[:100],
            "connected": True,
            "last_seen": now,
            "checked_at": now,
            "missing_by_feature": snapshot.missing_by_feature,
            "missing_by_channel": [u.as_json() for u in snapshot.channel_uses],
            "channels": snapshot.channels,
        },
    )
    return row


def health_heartbeat(*, guild_ids: list[int], now: datetime) -> int:
    """The bot is alive and in these servers: one UPDATE for all of them."""
    return BotGuildHealth.objects.filter(guild_id__in=guild_ids).update(connected=True, last_seen=now, updated_at=now)


def health_mark_disconnected(*, guild_id: int, now: datetime) -> bool:
    """The bot left the server (or it became unavailable): say so at once instead of waiting for staleness."""
    return BotGuildHealth.objects.filter(guild_id=guild_id).update(connected=False, updated_at=now) > 0
