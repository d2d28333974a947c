"""Send claimed notices exactly once, through a :class:`NoticeSender` (the bot's in production, simcord's in tests).

Each attempt is counted in the ledger before the send, the message goes out with the row's nonce, and the row is
marked with the message id. If the process dies between the send and the mark, the next attempt finds the message
in the channel's (or DM's) recent history before sending again: a restart never posts twice and never drops a
notice. A channel that is gone or forbidden (403/404) fails that notice with a reason, a DM a member does not accept
fails only that DM, 429/5xx back off within a bounded number of attempts.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from simlane.core.shards import Shards
from simlane.results.poller.outbox import DestinationError, OutboxPolicy, RejectedError, RetryLaterError

from ..models import EventNotice, EventStatus, NoticeKind
from . import aio

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    """What one notice sends: to a channel (or thread), or as a DM to ``user_id``."""

    channel_id: int | None
    user_id: int | None
    content: str
    embed: dict[str, Any] | None
    mention_ids: tuple[int, ...]


class NoticeSender(Protocol):
    async def send(self, message: Message, *, nonce: str) -> int: ...

    async def find_sent(self, message: Message) -> int | None: ...


@dataclass
class NoticeReport:
    sent: int = 0
    recovered: int = 0
    deferred: int = 0
    failed: int = 0


def message_of(notice: EventNotice) -> Message:
    return Message(
        channel_id=notice.channel_id,
        user_id=notice.user_id,
        content=notice.content,
        embed=notice.embed,
        mention_ids=tuple(int(i) for i in notice.mention_ids),
    )


class NoticeOutbox:
    def __init__(
        self,
        sender: NoticeSender,
        *,
        now: Callable[[], datetime],
        policy: OutboxPolicy | None = None,
        shards: Callable[[], Shards | None] | None = None,
    ) -> None:
        """``shards``: the bot process's shards, asked at each drain; only their servers' notices are sent here."""
        self.sender = sender
        self.now = now
        self.policy = policy or OutboxPolicy()
        self.shards = shards or (lambda: None)
        self._draining = asyncio.Lock()  # one drain at a time in this process; the lease covers other processes

    async def drain(self) -> NoticeReport:
        async with self._draining:
            report = NoticeReport()
            for due in await aio.notices_due(now=self.now(), limit=self.policy.batch, shards=self.shards()):
                # Another bot process draining the same database may have taken it since it was read.
                notice = await aio.notice_lease(notice_id=due.id, now=self.now(), until=self.now() + self.policy.lease)
                if notice is not None:
                    await self._deliver(notice, report)
            return report

    async def _deliver(self, notice: EventNotice, report: NoticeReport) -> None:
        if notice.event.status == EventStatus.CANCELLED and notice.kind != NoticeKind.RESULTS:
            # Claimed before the admin cancelled (waiting out a 429, say): a reminder of a cancelled race is wrong.
            await aio.notice_fail(notice_id=notice.id, error="the event was cancelled")
            report.failed += 1
            return
        message = message_of(notice)
        try:
            if notice.attempts > 0:
                found = await self.sender.find_sent(message)
                if found is not None:
                    await aio.notice_mark_sent(notice_id=notice.id, message_id=found, now=self.now())
                    report.recovered += 1
                    return
            notice = await aio.notice_attempt_begin(notice_id=notice.id)
            message_id = await self.sender.send(message, nonce=notice.nonce)
        except (DestinationError, RejectedError) as exc:
            logger.warning("event %s: %s notice %s not sent: %s", notice.event_id, notice.kind, notice.key, exc)
            await aio.notice_fail(notice_id=notice.id, error=str(exc))
            report.failed += 1
            return
        except RetryLaterError as exc:
            await self._retry_later(notice, str(exc), exc.retry_after, report)
            return
        await aio.notice_mark_sent(notice_id=notice.id, message_id=message_id, now=self.now())
        report.sent += 1

    async def _retry_later(
        self, notice: EventNotice, error: str, retry_after: float | None, report: NoticeReport
    ) -> None:
        attempts = max(notice.attempts, 1)
        if attempts >= self.policy.max_attempts:
            logger.error("event %s: giving up on %s notice %s: %s", notice.event_id, notice.kind, notice.key, error)
            await aio.notice_fail(notice_id=notice.id, error=error)
            report.failed += 1
            return
        wait = max(self.policy.backoff(attempts), timedelta(seconds=retry_after or 0))
        await aio.notice_defer(notice_id=notice.id, until=self.now() + wait, error=error)
        report.deferred += 1
