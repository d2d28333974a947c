"""Race cards for the outbox: laps fetched once per subsession, rendering in a worker pool, never a lost post.

Rendering takes a few hundred milliseconds of CPU (matplotlib, Pillow): it runs in a thread pool so the bot's
event loop keeps answering. Any failure to fetch laps or to render is logged and the result goes out as the
text embed alone; the card is an extra, the post is the promise.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections import OrderedDict
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

from simlane.core.shards import Shards
from simlane.iracing.client import IRacingClient, IRacingError
from simlane.iracing.client.models import SubsessionResult
from simlane.iracing.client.models.results import LapRow
from simlane.results.poller.ingest import SubsessionFetcher
from simlane.results.poller.outbox import Publisher

from . import aio, highlights
from .card import Teammate
from .digest import Digest, digest_png
from .laps import RaceLaps, group_of, race_laps
from .render import card_png

logger = logging.getLogger(__name__)

LAPS_KEPT = 256  # subsessions whose laps stay in memory: every server posting a race shares one fetch
RENDER_TIMEOUT = 30.0  # seconds; a render stuck longer is given up and the embed goes alone
MAX_IMAGE_BYTES = 8 * 1024 * 1024  # Discord takes 10 MiB; a card is ~150 KB, this is the margin


@dataclass
class LapCounts:
    """iRacing calls made for cards (the poller benchmark adds them to its calls per post)."""

    lap_chart: int = 0
    team_laps: int = 0

    @property
    def total(self) -> int:
        return self.lap_chart + self.team_laps


class LapFetcher:
    """``results/lap_chart_data`` once per subsession (and ``results/lap_data`` once per team car), shared by every
    server that posts the race: answers are kept, and a request in flight is awaited rather than repeated."""

    def __init__(self, client: IRacingClient) -> None:
        self.client = client
        self.calls = LapCounts()
        self._kept: OrderedDict[tuple[int, int], list[LapRow]] = OrderedDict()
        self._inflight: dict[tuple[int, int], asyncio.Task[list[LapRow]]] = {}

    async def _once(self, key: tuple[int, int]) -> list[LapRow]:
        if key in self._kept:
            self._kept.move_to_end(key)
            return self._kept[key]
        task = self._inflight.get(key)
        if task is None:
            task = asyncio.ensure_future(self._load(key))
            self._inflight[key] = task
            task.add_done_callback(lambda _t: self._inflight.pop(key, None))
        rows = await asyncio.shield(task)
        self._kept[key] = rows
        while len(self._kept) > LAPS_KEPT:
            self._kept.popitem(last=False)
        return rows

    async def _load(self, key: tuple[int, int]) -> list[LapRow]:
        subsession_id, team_id = key
        if team_id:
            self.calls.team_laps += 1
            return await self.client.results_lap_data(subsession_id, team_id=team_id)
        self.calls.lap_chart += 1
        return await self.client.results_lap_chart_data(subsession_id)

    async def race(self, result: SubsessionResult, cust_id: int) -> RaceLaps:
        rows = await self._once((result.subsession_id, 0))
        group = group_of(result, cust_id)
        team_rows = {}
        if group is not None and group != cust_id:  # a team car: who drove which lap
            team_rows[group] = await self._once((result.subsession_id, group))
        return race_laps(result, rows, team_rows)


def others_in_race(result: SubsessionResult, cust_id: int, tracked: set[int]) -> list[Teammate]:
    """The server's other tracked drivers in this race, best placed first."""
    race = result.main_event()
    out: list[Teammate] = []
    for row in race.results if race else []:
        for d in (row, *row.driver_results):
            if d.cust_id is not None and d.cust_id != cust_id and d.cust_id in tracked:
                out.append(Teammate(d.display_name, row.finish_position.ordinal, row.finish_position_in_class.ordinal))
    return sorted(out, key=lambda t: t.position or 10**6)


@functools.cache
def _shared_pool() -> ThreadPoolExecutor:
    """One drawing thread per process for every card maker (the outbox's and the commands'): Pillow's cached
    fonts and matplotlib's font cache are then never used by two threads at once."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="cards")


class CardMaker:
    """Renders a post's card; ``render`` returns None (and logs why) instead of raising."""

    def __init__(
        self, laps: LapFetcher | None, *, pool: Executor | None = None, timeout: float = RENDER_TIMEOUT
    ) -> None:
        self.laps = laps
        self.pool = pool or _shared_pool()
        self.timeout = timeout

    async def claim_highlight(self, result: SubsessionResult, *, cust_id: int, guild_id: int) -> None:
        """Claim the podium / personal-best post of the server's second channel, if this result is one."""
        await highlights.claim(result, cust_id=cust_id, guild_id=guild_id)

    async def drain_highlights(
        self, publisher: Publisher, fetcher: SubsessionFetcher, *, now: datetime, shards: Shards | None = None
    ) -> int:
        async def card(result: SubsessionResult, cust_id: int, guild_id: int) -> bytes | None:
            return await self.render_for_server(result, cust_id=cust_id, guild_id=guild_id)

        return await highlights.drain(publisher, fetcher, card, now=now, shards=shards)

    async def drain_digests(self, publisher: Publisher, now: datetime, *, shards: Shards | None = None) -> int:
        async def draw(week: Digest) -> bytes | None:
            try:
                job = asyncio.get_running_loop().run_in_executor(self.pool, digest_png, week)
                return await asyncio.wait_for(job, self.timeout)
            except Exception:  # the digest goes as text
                logger.exception("the weekly digest picture could not be drawn")
                return None

        return await highlights.drain_digests(publisher, now, draw, shards=shards)

    async def render_for_server(self, result: SubsessionResult, *, cust_id: int, guild_id: int) -> bytes | None:
        """The card as this server asked for it, or None when it turned cards off."""
        choices = await aio.card_choices(guild_id=guild_id)
        if not choices.cards:
            return None
        return await self.render(result, cust_id, tracked=choices.tracked, charts=choices.charts, theme=choices.theme)

    async def render(
        self,
        result: SubsessionResult,
        cust_id: int,
        *,
        tracked: frozenset[int] = frozenset(),
        charts: bool = True,
        theme: str = "dark",
    ) -> bytes | None:
        laps: RaceLaps | None = None
        if charts and self.laps is not None:
            try:
                laps = await self.laps.race(result, cust_id)
            except IRacingError as exc:  # the card goes without charts
                logger.warning("subsession %s: no lap data for the card: %s", result.subsession_id, exc)
        try:
            others = others_in_race(result, cust_id, set(tracked))
            job = asyncio.get_running_loop().run_in_executor(
                self.pool, functools.partial(card_png, result, cust_id, laps=laps, others=others, theme=theme)
            )
            png = await asyncio.wait_for(job, self.timeout)
        except Exception:  # any rendering failure: log it with its trace, post the embed alone
            logger.exception("subsession %s: the race card of %s could not be drawn", result.subsession_id, cust_id)
            return None
        if len(png) > MAX_IMAGE_BYTES:
            logger.error("subsession %s: race card of %d bytes is too large to attach", result.subsession_id, len(png))
            return None
        return png
