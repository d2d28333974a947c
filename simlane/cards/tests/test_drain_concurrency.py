"""Several bot processes drain one database: a highlight or a weekly digest goes out once, from its shard's process."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from asgiref.sync import sync_to_async

from simlane.cards.models import DigestPost, GuildCardSettings, HighlightPost, HighlightStatus
from simlane.cards.post import CardMaker
from simlane.cards.samples import recorded
from simlane.iracing.client import IRacingClient
from simlane.iracing.simulator.local import demo_client_config
from simlane.iracing.sync.subsessions import subsession_store
from simlane.results.models import GuildResultsConfig
from simlane.results.poller import Outbox, SubsessionFetcher

pytestmark = pytest.mark.django_db(transaction=True)

NOW = datetime(2026, 3, 2, 21, 0, tzinfo=UTC)  # a Monday, after the 20:00 digest moment
GUILDS = [k << 22 for k in range(1, 7)]  # Discord's shard of a server: (guild_id >> 22) % shard count = k % 2


class SlowPublisher:
    """Records each send; a send takes a moment, as a request to Discord does, so two drains overlap."""

    def __init__(self, sent: list[tuple[str, int]]) -> None:
        self.sent = sent

    async def send(
        self,
        *,
        channel_id: int,
        embed: dict[str, Any],
        nonce: str,
        image: bytes | None = None,
        filename: str = "",
    ) -> int:
        await asyncio.sleep(0.02)
        self.sent.append((nonce, channel_id))
        return 10**17 + len(self.sent)

    async def find_sent(self, *, channel_id: int, embed: dict[str, Any]) -> int | None:
        return None  # never found: a second send would show in ``sent``

    async def notify_admins(self, *, guild_id: int, text: str) -> None:
        raise AssertionError(text)


def _world() -> int:
    """Every server has a podium highlight claimed and its weekly digest due; cards off (text posts)."""
    sample = recorded("result", 0)
    subsession_store(sample.result)
    for guild in GUILDS:
        GuildResultsConfig.objects.create(guild_id=guild, channel_id=guild + 1)
        GuildCardSettings.objects.create(
            guild_id=guild,
            cards_enabled=False,
            highlights_channel_id=guild + 2,
            route_podiums=True,
            digest_weekday=0,
            digest_hour=20,
            digest_since=NOW - timedelta(days=30),
        )
        HighlightPost.objects.create(
            guild_id=guild,
            subsession_id=sample.result.subsession_id,
            cust_id=sample.cust_id,
            kind="podium",
            channel_id=guild + 2,
            nonce=f"h{guild}",
        )
    return sample.result.subsession_id


def _outbox(sent: list[tuple[str, int]], shards: tuple[int, frozenset[int]] | None = None) -> Outbox:
    fetcher = SubsessionFetcher(IRacingClient(demo_client_config("http://127.0.0.1:9")))  # stored: never asked
    return Outbox(SlowPublisher(sent), fetcher, now=lambda: NOW, shards=lambda: shards, cards=CardMaker(None))


async def test_two_processes_draining_at_once_send_each_highlight_and_digest_once() -> None:
    await sync_to_async(_world)()
    sent: list[tuple[str, int]] = []
    # Two unsharded processes (or two whose shards were misconfigured to overlap) on one database.
    await asyncio.gather(_outbox(sent).drain(), _outbox(sent).drain())

    per_channel = Counter(channel for _, channel in sent)
    assert sorted(per_channel) == sorted([g + 2 for g in GUILDS] + [g + 1 for g in GUILDS])
    assert set(per_channel.values()) == {1}  # each highlight channel and each digest channel: one message
    assert await sync_to_async(HighlightPost.objects.filter(status=HighlightStatus.POSTED).count)() == len(GUILDS)
    assert await sync_to_async(DigestPost.objects.filter(status=HighlightStatus.POSTED).count)() == len(GUILDS)


async def test_a_sharded_process_sends_only_its_own_servers_highlights_and_digests() -> None:
    await sync_to_async(_world)()
    sent: list[tuple[str, int]] = []
    await _outbox(sent, shards=(2, frozenset({0}))).drain()

    even = [g for g in GUILDS if (g >> 22) % 2 == 0]
    assert sorted(channel for _, channel in sent) == sorted([g + 2 for g in even] + [g + 1 for g in even])
    # The other shard's servers are left for the process holding them, still claimed (highlights) or not yet due.
    odd = [g for g in GUILDS if (g >> 22) % 2 == 1]
    waiting = HighlightPost.objects.filter(status=HighlightStatus.CLAIMED).values_list("guild_id", flat=True)
    assert sorted(await sync_to_async(lambda: list(waiting))()) == odd

    await _outbox(sent, shards=(2, frozenset({1}))).drain()
    assert Counter(channel for _, channel in sent) == Counter([g + 2 for g in GUILDS] + [g + 1 for g in GUILDS])
