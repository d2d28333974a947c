"""The bot's gateway side when it runs on its own (``simlane bot``): shards, and which servers' posts it sends.

Discord requires sharding past 2,500 servers. ``ShardedSimLaneBot`` is the same bot on discord.py's
``AutoShardedBot``: one process holds the shards it is given (``--shard-ids``) of ``--shard-count``, or all of the
count Discord recommends. A server's shard is ``(guild_id >> 22) % shard_count``; :func:`held_shards` tells the
outbox which servers this process posts for, so every post goes out from the process connected to its server.
"""

from __future__ import annotations

import discord
from discord.ext import commands

from simlane.core.shards import Shards

from .bot import SimLaneBot


class ShardedSimLaneBot(SimLaneBot, commands.AutoShardedBot):
    """SimLane's bot on an ``AutoShardedClient`` (``shard_ids``/``shard_count`` pass through to discord.py)."""


def held_shards(bot: discord.Client) -> Shards | None:
    """This process's shard count and shard ids; ``None`` when it is not sharded (it holds every server)."""
    count = bot.shard_count
    if not count or count <= 1:
        return None
    ids = getattr(bot, "shard_ids", None)
    return count, frozenset(ids if ids is not None else range(count))


def shard_of(guild_id: int, shard_count: int) -> int:
    """Discord's rule for which shard receives a server's events."""
    return (guild_id >> 22) % shard_count
