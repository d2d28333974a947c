"""Exactly-once delivery of claimed results: the only place that sends a result to a server.

A ledger row is claimed by the poller; here its attempt counter is committed, the embed is sent with the row's
nonce (Discord's ``enforce_nonce`` returns the first message for a repeated nonce), and the row is marked with the
message id. If the process dies between the send and the mark, the row still says ``attempts > 0``: before
sending again the channel's recent messages are searched for the same embed, so a restart never posts twice, and
a row is never dropped, so a restart never loses a result either.

Several processes may drain one database: each leases a post (``services.post_lease``: a row lock on PostgreSQL, a
conditional update on SQLite) before delivering it, so no two of them send the same row.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from simlane.core.errors import ApplicationError
from simlane.core.shards import Shards
from simlane.iracing.client.models import SubsessionResult

from .. import aio
from ..embeds import render_result_embed
from ..models import GuildResultsConfig, PostedResult
from .ingest import SubsessionFetcher

logger = logging.getLogger(__name__)

CARD_FILENAME = "race-card.png"


class DestinationError(Exception):
    """The channel is gone or the bot may not post there (Discord 404 / 403): retrying will not help."""


class RetryLaterError(Exception):
    """Discord said not now (429, 5xx, timeout); ``retry_after`` in seconds when Discord gave one."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class RejectedError(Exception):
    """Discord refused this message for good (a 400): retrying the same payload will not help."""


class Publisher(Protocol):
    """Where results go: Discord in production, simcord in tests and the demo, a recorder in benchmarks."""

    async def send(
        self,
        *,
        channel_id: int,
        embed: dict[str, Any],
        nonce: str,
        image: bytes | None = None,
        filename: str = CARD_FILENAME,
    ) -> int:
        """Post ``embed`` (with ``image`` attached as the race card, when there is one); return the message id."""
        ...

    async def find_sent(self, *, channel_id: int, embed: dict[str, Any]) -> int | None: ...

    async def notify_admins(self, *, guild_id: int, text: str) -> None: ...


class CardSource(Protocol):
    """Race cards (``simlane.cards.post.CardMaker``): a PNG for a post, or None for the embed alone."""

    async def render_for_server(self, result: SubsessionResult, *, cust_id: int, guild_id: int) -> bytes | None: ...

    async def claim_highlight(self, result: SubsessionResult, *, cust_id: int, guild_id: int) -> None:
        """Claim the result's post in the server's second channel (podiums, personal bests), if it is one."""
        ...

    async def drain_highlights(
        self, publisher: Publisher, fetcher: SubsessionFetcher, *, now: datetime, shards: Shards | None = None
    ) -> int:
        """Send the claimed highlights of these shards' servers (each leased first: one process sends it)."""
        ...

    async def drain_digests(self, publisher: Publisher, now: datetime, *, shards: Shards | None = None) -> int:
        """Claim and send the weekly digests now due of these shards' servers (leased like highlights)."""
        ...


@dataclass
class DrainReport:
    posted: int = 0
    recovered: int = 0  # found already sent after a crash
    deferred: int = 0
    failed: int = 0
    taken_elsewhere: int = 0  # leased by another process draining the same database
    highlights: int = 0  # podiums / personal bests also posted in a server's second channel
    digests: int = 0  # weekly digests posted
    broken_guilds: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class OutboxPolicy:
    max_attempts: int = 12
    first_backoff: timedelta = timedelta(seconds=5)
    max_backoff: timedelta = timedelta(minutes=15)
    batch: int = 200
    # How long a drainer holds a post while it delivers it: other processes leave the row alone until then, and
    # take it over after (a crashed process's post is delivered late, never lost). Far above one send's time.
    lease: timedelta = timedelta(minutes=10)

    def backoff(self, attempts: int) -> timedelta:
        factor: int = 2 ** max(0, attempts - 1)
        return min(self.max_backoff, self.first_backoff * factor)


def broken_notice(channel_id: int | None, reason: str) -> str:
    return (
        f"SimLane can't post race results in <#{channel_id}>: {reason}. Results are kept and will be posted once an "
        "admin picks a channel the bot can write in with `/results channel`."
    )


class Outbox:
    def __init__(
        self,
        publisher: Publisher,
        fetcher: SubsessionFetcher,
        *,
        now: Callable[[], datetime],
        policy: OutboxPolicy | None = None,
        shards: Callable[[], Shards | None] | None = None,
        cards: CardSource | None = None,
    ) -> None:
        """``shards``: the shards of the bot process this outbox posts through, asked at each drain (a sharded bot
        learns its shard count from Discord when it connects); only their servers' posts are drained here."""
        self.publisher = publisher
        self.shards = shards or (lambda: None)
        self.fetcher = fetcher
        self.cards = cards  # None: text embeds only
        self.now = now
        self.policy = policy or OutboxPolicy()
        # The poller drains as it finds results, from several concurrent searches: one drain at a time, so two of
        # them never pick up the same due row and send it twice.
        self._draining = asyncio.Lock()

    async def drain_posts(self) -> DrainReport:
        """Deliver the due result posts only: what the poller asks for after each search that claimed one, so
        results go out as they are found without re-reading every server's highlights and digest each time."""
        async with self._draining:
            return await self._drain()

    async def drain(self) -> DrainReport:
        """Deliver every due claimed post, then the highlights and digests (once a cycle); one server's failure
        never holds up another's."""
        async with self._draining:
            report = await self._drain()
            if self.cards is not None:
                # The same shards as the results: a server's highlights and digest go from the process holding it.
                shards = self.shards()
                report.highlights = await self.cards.drain_highlights(
                    self.publisher, self.fetcher, now=self.now(), shards=shards
                )
                report.digests = await self.cards.drain_digests(self.publisher, self.now(), shards=shards)
            return report

    async def _drain(self) -> DrainReport:
        report = DrainReport()
        configs: dict[int, GuildResultsConfig | None] = {}
        for post in await aio.posts_due(now=self.now(), limit=self.policy.batch, shards=self.shards()):
            if post.guild_id in report.broken_guilds:
                continue
            if post.guild_id not in configs:
                configs[post.guild_id] = await aio.results_config_get(guild_id=post.guild_id)
            config = configs[post.guild_id]
            if config is None or not config.is_postable or config.channel_id is None:
                continue
            # Another process draining the same database may have taken this post since it was read.
            leased = await aio.post_lease(post_id=post.id, now=self.now(), until=self.now() + self.policy.lease)
            if leased is None:
                report.taken_elsewhere += 1
                continue
            await self._deliver(leased, config.channel_id, report)
        return report

    async def _deliver(self, post: PostedResult, channel_id: int, report: DrainReport) -> None:
        try:
            result = await self._result(post)
            embed = render_result_embed(result, post.cust_id)
        except ApplicationError as exc:  # the driver is not in that race: nothing to post, ever
            await aio.post_fail(post_id=post.id, error=exc.message)
            report.failed += 1
            return
        image: bytes | None = None
        try:
            if post.attempts > 0 and post.channel_id == channel_id:
                found = await self.publisher.find_sent(channel_id=channel_id, embed=embed)
                if found is not None:
                    await aio.post_mark_posted(post_id=post.id, message_id=found, now=self.now())
                    report.recovered += 1
                    return
            if self.cards is not None:  # claimed before this post is sent: a crash in between never loses it
                await self.cards.claim_highlight(result, cust_id=post.cust_id, guild_id=post.guild_id)
            image = await self._card(result, post)
            if image is not None:
                embed["image"] = {"url": f"attachment://{CARD_FILENAME}"}
            post = await aio.post_attempt_begin(post_id=post.id, channel_id=channel_id)
            message_id = await self.publisher.send(channel_id=channel_id, embed=embed, nonce=post.nonce, image=image)
        except DestinationError as exc:
            report.broken_guilds.add(post.guild_id)
            # Give the lease back: the post goes out as soon as an admin fixes the channel, not when the lease ends.
            await aio.post_defer(post_id=post.id, until=self.now(), error=str(exc))
            logger.warning("guild %s: results channel %s unusable: %s", post.guild_id, channel_id, exc)
            if await aio.results_config_mark_broken(guild_id=post.guild_id, reason=str(exc)):
                await self._notify(post.guild_id, broken_notice(channel_id, str(exc)))
            return
        except RetryLaterError as exc:
            await self._retry_later(post, str(exc), exc.retry_after, report)
            return
        except RejectedError as exc:
            logger.error(
                "guild %s: Discord rejected the result of subsession %s: %s", post.guild_id, post.subsession_id, exc
            )
            await aio.post_fail(post_id=post.id, error=str(exc))
            report.failed += 1
            return
        await aio.post_mark_posted(post_id=post.id, message_id=message_id, now=self.now())
        report.posted += 1

    async def _result(self, post: PostedResult) -> SubsessionResult:
        result = await self.fetcher.get(post.subsession_id)
        if result is None:
            raise ApplicationError(f"subsession {post.subsession_id} has no results")
        return result

    async def _card(self, result: SubsessionResult, post: PostedResult) -> bytes | None:
        """The race card, or None: cards off, or drawing failed (the card maker logs why; the embed still goes)."""
        if self.cards is None:
            return None
        return await self.cards.render_for_server(result, cust_id=post.cust_id, guild_id=post.guild_id)

    async def _retry_later(
        self, post: PostedResult, error: str, retry_after: float | None, report: DrainReport
    ) -> None:
        attempts = max(post.attempts, 1)
        if attempts >= self.policy.max_attempts:
            logger.error(
                "guild %s: giving up on subsession %s after %d attempts: %s",
                post.guild_id,
                post.subsession_id,
                attempts,
                error,
            )
            await aio.post_fail(post_id=post.id, error=error)
            report.failed += 1
            return
        wait = max(self.policy.backoff(attempts), timedelta(seconds=retry_after or 0))
        await aio.post_defer(post_id=post.id, until=self.now() + wait, error=error)
        report.deferred += 1

    async def _notify(self, guild_id: int, text: str) -> None:
        try:
            await self.publisher.notify_admins(guild_id=guild_id, text=text)
        except (DestinationError, RetryLaterError, RejectedError) as exc:
            logger.warning("guild %s: could not tell the admins about the broken results channel: %s", guild_id, exc)
