"""Several bot processes drain one database's event notices: each notice goes out once, from its shard's process."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from asgiref.sync import sync_to_async

from simlane.events.models import EventNotice, NoticeStatus
from simlane.events.notices.outbox import Message, NoticeOutbox

from . import factories
from .factories import NOW

pytestmark = pytest.mark.django_db(transaction=True)
GUILDS = [k << 22 for k in range(1, 5)]  # shard (guild_id >> 22) % 2 = k % 2


class SlowSender:
    """Records each send; a send takes a moment, as a request to Discord does, so two drains overlap."""

    def __init__(self, sent: list[int | None]) -> None:
        self.sent = sent

    async def send(self, message: Message, *, nonce: str) -> int:
        await asyncio.sleep(0.02)
        self.sent.append(message.channel_id)
        return 10**17 + len(self.sent)

    async def find_sent(self, message: Message) -> int | None:
        return None  # never found: a second send would show in ``sent``


def _notices() -> None:
    for guild in GUILDS:
        event = factories.event(factories.club(guild_id=guild, name=f"club {guild}"))
        for n in range(3):
            EventNotice.objects.create(
                event=event, kind="reminder", key=f"r{n}", channel_id=guild + n, content="soon", nonce=f"{guild}-{n}"
            )


async def test_two_processes_draining_at_once_send_each_notice_once() -> None:
    await sync_to_async(_notices)()
    sent: list[int | None] = []
    outboxes = [NoticeOutbox(SlowSender(sent), now=lambda: NOW) for _ in range(2)]
    await asyncio.gather(*(o.drain() for o in outboxes))
    assert Counter(sent) == Counter(g + n for g in GUILDS for n in range(3))  # every notice, once
    assert await sync_to_async(EventNotice.objects.filter(status=NoticeStatus.SENT).count)() == 3 * len(GUILDS)


async def test_a_sharded_process_sends_only_its_own_servers_notices() -> None:
    await sync_to_async(_notices)()
    sent: list[int | None] = []
    await NoticeOutbox(SlowSender(sent), now=lambda: NOW, shards=lambda: (2, frozenset({0}))).drain()
    assert sorted(c for c in sent if c is not None) == sorted(
        g + n for g in GUILDS if (g >> 22) % 2 == 0 for n in range(3)
    )
