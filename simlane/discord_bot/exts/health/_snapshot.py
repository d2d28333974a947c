"""A server's health computed from the bot's gateway cache: which permissions it lacks, by feature and by channel.

The permissions come from the one feature list in ``simlane.clubs.discord_permissions``, so the invite, this
check and the dashboard never disagree about what SimLane needs.
"""

from __future__ import annotations

import discord

from simlane.clubs.discord_permissions import FEATURES, PERMISSION_BITS
from simlane.clubs.health.services import ChannelUse, Snapshot

_BY_KEY = {f.key: f for f in FEATURES}
# Which feature's permissions each channel SimLane posts in needs.
CHANNEL_FEATURE = {"results": "results", "announcements": "car_numbers"}


def _missing(granted: discord.Permissions, names: tuple[str, ...]) -> list[str]:
    return [name for name in names if not granted.value & PERMISSION_BITS[name]]


def compute_snapshot(guild: discord.Guild, *, channel_ids: dict[str, int | None]) -> Snapshot:
    """What the bot lacks on ``guild``; ``channel_ids`` maps a use ("results", "announcements") to its channel."""
    me = guild.me
    server_wide = me.guild_permissions
    missing_by_feature = {f.key: _missing(server_wide, f.permissions) for f in FEATURES}
    posting = _BY_KEY["results"].permissions
    channels = [
        {
            "id": str(c.id),  # snowflakes exceed JavaScript's safe integers
            "name": c.name,
            "category": c.category.name if c.category else "",
            "missing": _missing(c.permissions_for(me), posting),
        }
        for c in sorted(guild.text_channels, key=lambda c: (c.position, c.id))
    ]
    uses = []
    for use, channel_id in channel_ids.items():
        if not channel_id:
            continue
        channel = guild.get_channel(channel_id)
        if not isinstance(channel, discord.TextChannel):
            uses.append(ChannelUse(use=use, channel_id=channel_id, name="", exists=False, missing=()))
            continue
        needs = _BY_KEY[CHANNEL_FEATURE[use]].permissions
        missing = tuple(_missing(channel.permissions_for(me), needs))
        uses.append(ChannelUse(use=use, channel_id=channel_id, name=channel.name, exists=True, missing=missing))
    return Snapshot(
        guild_id=guild.id,
        guild_name=guild.name,
        missing_by_feature=missing_by_feature,
        channel_uses=uses,
        channels=channels,
    )
