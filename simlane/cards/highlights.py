"""Routing: podiums (class podiums in multi-class races) and personal bests also go to a second channel.

A highlight is claimed in its own ledger before the result's own post is sent, so a crash between the two never
loses it; it is then sent with its nonce, counted before each attempt, and looked for in the channel before a
retry, like the result post itself. Failures here never touch the results channel's state.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from simlane.core.shards import Shards
from simlane.iracing.client.models import SubsessionResult
from simlane.results.embeds import find_participation, render_result_embed
from simlane.results.poller.ingest import SubsessionFetcher
from simlane.results.poller.outbox import CARD_FILENAME, DestinationError, Publisher, RejectedError, RetryLaterError

from . import aio
from .digest import digest_embed_text
from .models import HighlightKind
from .selectors import CardChoices

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
# How long a bot process holds a highlight or digest while it sends it (the results outbox's lease): far above one
# send's time; a process that dies leaves the post to the next drainer after it.
LEASE = timedelta(minutes=10)
DIGEST_FILENAME = "weekly-digest.png"
LABELS = {HighlightKind.PODIUM: "🏆 Podium", HighlightKind.PERSONAL_BEST: "⏱️ Personal best in this car here"}


async def highlight_kind(result: SubsessionResult, cust_id: int, choices: CardChoices) -> str | None:
    """Which highlight this result is for the server, if any (a podium wins over a personal best)."""
    p = find_participation(result, cust_id)
    multiclass = len(result.car_classes) > 1
    position = (p.car.finish_position_in_class if multiclass else p.car.finish_position).ordinal
    if choices.podiums and position is not None and position <= 3:
        return HighlightKind.PODIUM
    best = int(p.driver.best_lap_time)
    if choices.personal_bests and best > 0 and result.track and p.car.car_id and result.end_time:
        earlier = await aio.previous_best_lap(
            cust_id=cust_id, track_id=result.track.track_id, car_id=p.car.car_id, before=result.end_time
        )
        # Only against a stored earlier race: a first race at a track is not news.
        if earlier is not None and best < earlier:
            return HighlightKind.PERSONAL_BEST
    return None


async def claim(result: SubsessionResult, *, cust_id: int, guild_id: int) -> None:
    choices = await aio.card_choices(guild_id=guild_id)
    if choices.highlights_channel_id is None or not (choices.podiums or choices.personal_bests):
        return
    kind = await highlight_kind(result, cust_id, choices)
    if kind is not None:
        await aio.highlight_claim(
            guild_id=guild_id,
            subsession_id=result.subsession_id,
            cust_id=cust_id,
            kind=kind,
            channel_id=choices.highlights_channel_id,
        )


def highlight_embed(result: SubsessionResult, cust_id: int, kind: str) -> dict[str, Any]:
    embed = render_result_embed(result, cust_id)
    embed["author"] = {"name": LABELS.get(HighlightKind(kind), kind)}
    return embed


async def drain(
    publisher: Publisher, fetcher: SubsessionFetcher, card: Any, *, now: datetime, shards: Shards | None = None
) -> int:
    """Send every claimed highlight of these shards' servers; ``card(result, cust_id, guild_id)`` draws its picture.
    Returns how many went. Each is leased first, so two bot processes on one database never both send it."""
    sent = 0
    for due in await aio.highlights_due(now=now, shards=shards, max_attempts=MAX_ATTEMPTS):
        row = await aio.highlight_lease(post_id=due.id, now=now, until=now + LEASE)
        if row is None:
            continue  # another process is sending it
        result = await fetcher.get(row.subsession_id)
        if result is None:
            await aio.highlight_release(post_id=row.id)
            continue  # not fetchable now; the row waits
        embed = highlight_embed(result, row.cust_id, row.kind)
        try:
            if row.attempts > 0:
                found = await publisher.find_sent(channel_id=row.channel_id, embed=embed)
                if found is not None:
                    await aio.highlight_finish(post_id=row.id, message_id=found)
                    continue
            png = await card(result, row.cust_id, row.guild_id)
            if png is not None:
                embed["image"] = {"url": f"attachment://{CARD_FILENAME}"}
            row = await aio.highlight_attempt_begin(post_id=row.id)
            message_id = await publisher.send(channel_id=row.channel_id, embed=embed, nonce=row.nonce, image=png)
        except (DestinationError, RejectedError) as exc:
            logger.warning("guild %s: highlight not posted in %s: %s", row.guild_id, row.channel_id, exc)
            await aio.highlight_finish(post_id=row.id, error=str(exc))
            continue
        except RetryLaterError as exc:
            if row.attempts >= MAX_ATTEMPTS:
                await aio.highlight_finish(post_id=row.id, error=str(exc))
            else:
                await aio.highlight_release(post_id=row.id)
            continue  # counted; the next drain tries again
        await aio.highlight_finish(post_id=row.id, message_id=message_id)
        sent += 1
    return sent


async def drain_digests(publisher: Publisher, now: datetime, draw: Any, *, shards: Shards | None = None) -> int:
    """Claim the weekly digests now due of these shards' servers and send every claimed one (each leased first,
    like a highlight); ``draw(digest)`` renders the picture."""
    await aio.digests_claim(now=now, shards=shards)
    sent = 0
    for due in await aio.digests_due(now=now, shards=shards, max_attempts=MAX_ATTEMPTS):
        row = await aio.digest_lease(post_id=due.id, now=now, until=now + LEASE)
        if row is None:
            continue  # another process is sending it
        week = await aio.digest_for(guild_id=row.guild_id, end=row.due_at)
        title, description = digest_embed_text(week)
        embed: dict[str, Any] = {
            "type": "rich",
            "title": title,
            "description": description,
            "color": 0x5865F2,
            "footer": {"text": f"SimLane weekly digest • {row.due_at:%Y-%m-%d %H:%M} UTC"},
        }
        try:
            if row.attempts > 0:
                found = await publisher.find_sent(channel_id=row.channel_id, embed=embed)
                if found is not None:
                    await aio.digest_finish(post_id=row.id, message_id=found)
                    continue
            png = await draw(week)
            if png is not None:
                embed["image"] = {"url": f"attachment://{DIGEST_FILENAME}"}
            row = await aio.digest_attempt_begin(post_id=row.id)
            message_id = await publisher.send(
                channel_id=row.channel_id, embed=embed, nonce=row.nonce, image=png, filename=DIGEST_FILENAME
            )
        except (DestinationError, RejectedError) as exc:
            logger.warning("guild %s: weekly digest not posted in %s: %s", row.guild_id, row.channel_id, exc)
            await aio.digest_finish(post_id=row.id, error=str(exc))
            continue
        except RetryLaterError as exc:
            if row.attempts >= MAX_ATTEMPTS:
                await aio.digest_finish(post_id=row.id, error=str(exc))
            else:
                await aio.digest_release(post_id=row.id)
            continue
        await aio.digest_finish(post_id=row.id, message_id=message_id)
        sent += 1
    return sent
