"""Discord shards in queries: a bot process holding some shards works only on their servers.

Discord sends a server's gateway events to shard ``(guild_id >> 22) % shard_count``; the process holding that shard
has the server in its cache, so the outbox, the highlights and digests, and the intents queue each keep the rows
of the servers of this process's shards.
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import F, Model, QuerySet
from django.db.models.functions import Mod

# A bot process's shards: Discord's shard count and the ids of the shards this process holds.
Shards = tuple[int, frozenset[int]]

_M = TypeVar("_M", bound=Model)


def of_shards(rows: QuerySet[_M], shards: Shards | None, *, guild_field: str = "guild_id") -> QuerySet[_M]:
    """Only the rows of the servers of these shards (``guild_field`` names the server's id); all of them for an
    unsharded process (``None``)."""
    if shards is None:
        return rows
    count, held = shards
    kept: QuerySet[_M] = rows.annotate(_shard=Mod(F(guild_field) / (1 << 22), count)).filter(_shard__in=sorted(held))
    return kept
