"""Reads of the bot-health snapshots, turned into what a league admin needs to know."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ..discord_permissions import FEATURES
from ..models import BotGuildHealth

# The bot writes a heartbeat every minute; three missed ones mean it is not running (or not on the server).
HEARTBEAT_STALE_AFTER = timedelta(minutes=3)

_FEATURE_LABELS = {f.key: f.label for f in FEATURES}
_USE_LABELS = {"results": "race results", "announcements": "car-number announcements"}


@dataclass(frozen=True)
class Problem:
    """One thing the bot lacks, said the way an admin can fix it."""

    text: str
    where: str  # "server" or "channel"
    feature: str = ""
    channel_id: str = ""
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class HealthView:
    guild_id: int
    known: bool  # the bot has reported on this server at least once
    connected: bool
    last_seen: datetime | None
    checked_at: datetime | None
    problems: list[Problem] = field(default_factory=list)
    channels: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.connected and not self.problems


def _names(missing: list[str] | tuple[str, ...]) -> str:
    items = list(missing)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _problems(row: BotGuildHealth) -> list[Problem]:
    out: list[Problem] = []
    for key, missing in sorted(row.missing_by_feature.items()):
        if not missing:
            continue
        label = _FEATURE_LABELS.get(key, key)
        them = "it" if len(missing) == 1 else "them"
        out.append(
            Problem(
                text=f"{label}: SimLane needs {_names(missing)} on this server — give {them} to SimLane's role in "
                "Server Settings → Roles.",
                where="server",
                feature=key,
                missing=tuple(missing),
            )
        )
    for use in row.missing_by_channel:
        what = _USE_LABELS.get(use["use"], use["use"])
        if not use.get("exists", True):
            out.append(
                Problem(
                    text=f"The channel chosen for {what} no longer exists (or SimLane can't see it) — pick another "
                    "one in the settings.",
                    where="channel",
                    channel_id=use["channel_id"],
                )
            )
        elif use.get("missing"):
            out.append(
                Problem(
                    text=f"SimLane can't post {what} in #{use['name']}: it needs {_names(use['missing'])} there — "
                    "give it in the channel's permissions (Edit Channel → Permissions).",
                    where="channel",
                    channel_id=use["channel_id"],
                    missing=tuple(use["missing"]),
                )
            )
    return out


def health_view(*, guild_id: int, now: datetime) -> HealthView:
    """The bot's health on this server now: disconnected when its heartbeat is stale, whatever the row says."""
    row = BotGuildHealth.objects.filter(guild_id=guild_id).first()
    if row is None:
        return HealthView(guild_id=guild_id, known=False, connected=False, last_seen=None, checked_at=None)
    connected = row.connected and now - row.last_seen <= HEARTBEAT_STALE_AFTER
    return HealthView(
        guild_id=guild_id,
        known=True,
        connected=connected,
        last_seen=row.last_seen,
        checked_at=row.checked_at,
        problems=_problems(row),
        channels=list(row.channels),
    )


def health_channel(*, guild_id: int, channel_id: int) -> dict[str, Any] | None:
    """A text channel the bot last saw on this server, with what it lacks there; None if it saw no such channel."""
    row = BotGuildHealth.objects.filter(guild_id=guild_id).only("channels").first()
    if row is None:
        return None
    return next((c for c in row.channels if c.get("id") == str(channel_id)), None)
