"""From a finished subsession to ledger claims: fetch each result once, find every tracked driver in it."""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Mapping

from simlane.identity import aio as identity_aio
from simlane.identity.services import SeenRatings
from simlane.iracing import aio as iracing_aio
from simlane.iracing.client import IRacingClient, NotFoundError
from simlane.iracing.client.models import SubsessionResult
from simlane.iracing.client.models.results import EVENT_TYPE_RACE

from ..selectors import Subscription
from ..services import PostClaim

logger = logging.getLogger(__name__)

RESULTS_KEPT = 256  # parsed results kept in memory (a few hours of races at thousands of tracked drivers)


def race_kind(result: SubsessionResult) -> str:
    """``league``, ``hosted`` or ``series`` (official and unofficial series races)."""
    if result.league_id:
        return "league"
    if (result.private_session_id or -1) > 0 or not result.series_id:  # official races carry -1
        return "hosted"
    return "series"


def participants(result: SubsessionResult) -> list[int]:
    """The cust_ids of every driver in the main event, team members included (team rows carry no cust_id)."""
    race = result.main_event()
    if race is None:
        return []
    out: list[int] = []
    for row in race.results:
        if row.cust_id is not None:
            out.append(row.cust_id)
        out += [d.cust_id for d in row.driver_results if d.cust_id is not None]
    return out


def _rated(value: int | None) -> int | None:
    return None if value is None or value < 0 else int(value)


def ratings_after(result: SubsessionResult) -> list[SeenRatings]:
    """Each driver's ratings after the main event (iRacing sends -1 where a race changed nothing it rates)."""
    race = result.main_event()
    rows = [] if race is None else [d for row in race.results for d in (row, *row.driver_results)]
    return [
        SeenRatings(
            cust_id=d.cust_id,
            irating=_rated(d.newi_rating),
            license_level=_rated(d.new_license_level),
            safety_rating=_rated(d.new_sub_level),
        )
        for d in rows
        if d.cust_id is not None
    ]


def wants(sub: Subscription, result: SubsessionResult) -> bool:
    """Whether this server asked for this kind of race, and the race ended after the driver was tracked."""
    if result.event_type != EVENT_TYPE_RACE:
        return False
    if result.end_time is not None and result.end_time <= sub.tracked_since:
        return False
    kind = race_kind(result)
    if kind == "league":
        return sub.include_league
    if kind == "hosted":
        return sub.include_hosted
    return result.official_session or not sub.official_only


def claims_for_result(result: SubsessionResult, subscriptions: Mapping[int, list[Subscription]]) -> list[PostClaim]:
    """One claim per (server, tracked driver in the race) that the server wants."""
    return [
        PostClaim(sub.guild_id, result.subsession_id, cust_id, sub.channel_id, result.end_time)
        for cust_id in participants(result)
        for sub in subscriptions.get(cust_id, ())
        if wants(sub, result)
    ]


class SubsessionFetcher:
    """Fetches each subsession's results once: from the database cache, from a request already in flight, or from
    iRacing, whatever the number of drivers and servers that ask."""

    def __init__(self, client: IRacingClient) -> None:
        self.client = client
        self._inflight: dict[int, asyncio.Task[SubsessionResult | None]] = {}
        # The newest results, parsed: every server posting a race asks for it right after the poller fetched it,
        # and reading and validating the stored payload again for each of them is most of a post's work.
        self._kept: OrderedDict[int, SubsessionResult] = OrderedDict()

    async def get(self, subsession_id: int) -> SubsessionResult | None:
        """The result, or None when iRacing has none (404: not finished or not visible to this account)."""
        kept = self._kept.get(subsession_id)
        if kept is not None:
            self._kept.move_to_end(subsession_id)
            return kept
        task = self._inflight.get(subsession_id)
        if task is None:
            task = asyncio.ensure_future(self._load(subsession_id))
            self._inflight[subsession_id] = task
            task.add_done_callback(lambda _t: self._inflight.pop(subsession_id, None))
        result = await asyncio.shield(task)
        if result is not None:
            self._kept[subsession_id] = result
            while len(self._kept) > RESULTS_KEPT:
                self._kept.popitem(last=False)
        return result

    async def _load(self, subsession_id: int) -> SubsessionResult | None:
        payload = await iracing_aio.subsession_payload(subsession_id=subsession_id)
        if payload is not None:
            return SubsessionResult.model_validate(payload)
        try:
            result = await self.client.results_get(subsession_id)
        except NotFoundError:
            logger.info("subsession %s has no results (yet)", subsession_id)
            return None
        # Stored in the iRacing app (event, participants, payload): this cache, and data every feature can reuse.
        await iracing_aio.subsession_store(result)
        # A finished race is where new ratings first show: members who verified their account get Discord's Linked
        # Roles updated from it. A failure there is the identity app's to record; it never loses the result.
        await identity_aio.ratings_seen(ratings=ratings_after(result))
        return result
