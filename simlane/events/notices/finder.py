"""Look for finished events' results and claim their posts: official ones in what the results pipeline stored
(else through ``results/search_series`` for a few of the event's drivers), league ones in
``league/season_sessions`` (one request per league season per check, at most every ``LEAGUE_EVERY``, however many
events share it).

A league event names its session by ``league_session_id`` (the session's ``private_session_id``); without one, the
session launched at the event's race time is taken. iRacing errors leave the event for the next check.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from simlane.iracing import aio as iracing_aio
from simlane.iracing.client import IRacingClient, IRacingError
from simlane.iracing.client.models import SubsessionResult
from simlane.iracing.client.models.leagues import LeagueSession
from simlane.iracing.client.models.results import EVENT_TYPE_RACE
from simlane.results.poller import SubsessionFetcher

from ..models import Event, EventSource
from . import aio
from .results import START_TOLERANCE

logger = logging.getLogger(__name__)

LEAGUE_EVERY = timedelta(minutes=5)
LAUNCH_TOLERANCE = timedelta(minutes=5)


def league_session_of(event: Event, sessions: list[LeagueSession]) -> LeagueSession | None:
    """The event's session among its league season's, once it has results."""
    for s in sessions:
        if not s.has_results or s.subsession_id is None:
            continue
        if event.league_session_id is not None:
            if s.private_session_id == event.league_session_id:
                return s
        elif s.launch_at is not None and abs(s.launch_at - event.race_at) <= LAUNCH_TOLERANCE:
            return s
    return None


class ResultsFinder:
    def __init__(self, client: IRacingClient | None, *, now: Callable[[], datetime]) -> None:
        self.client = client
        self.fetcher = SubsessionFetcher(client) if client is not None else None
        self.now = now
        self._checked: dict[tuple[int, int], datetime] = {}

    async def run(self) -> int:
        """Claim the results posts found now; returns how many."""
        claimed = 0
        events = await aio.events_awaiting_results(now=self.now())
        sessions: dict[tuple[int, int], list[LeagueSession]] = {}
        for event in events:
            try:
                subsession_id = await self._subsession(event, sessions)
                if subsession_id is None:
                    continue
                result = await self._result(subsession_id)
            except IRacingError as exc:
                logger.info("event %s: results not reachable now: %s", event.id, exc)
                continue
            if result is not None and await aio.results_claim(event_id=event.id, result=result):
                claimed += 1
        return claimed

    def _due(self, key: tuple[int, int]) -> bool:
        """At most one look per ``LEAGUE_EVERY`` for the same league season or official event."""
        last = self._checked.get(key)
        if last is not None and self.now() - last < LEAGUE_EVERY:
            return False
        self._checked[key] = self.now()
        return True

    async def _search_official(self, event: Event) -> int | None:
        """The event's race from iRacing's search, for a few of its drivers (none of them tracked)."""
        if self.client is None or event.series_id is None or not self._due((0, event.id)):
            return None
        for cust_id in await aio.event_driver_ids(event_id=event.id):
            rows = await self.client.search_series(
                cust_id=cust_id,
                series_id=event.series_id,
                start_range_begin=event.race_at - START_TOLERANCE,
                start_range_end=event.race_at + START_TOLERANCE,
                event_types=[EVENT_TYPE_RACE],
            )
            found = next((r.subsession_id for r in rows if r.series_id in (None, event.series_id)), None)
            if found is not None:
                return found
        return None

    async def _result(self, subsession_id: int) -> SubsessionResult | None:
        """Through the results pipeline's fetcher (stored, else iRacing); only what is stored without a client."""
        if self.fetcher is not None:
            return await self.fetcher.get(subsession_id)
        payload = await iracing_aio.subsession_payload(subsession_id=subsession_id)
        return SubsessionResult.model_validate(payload) if payload is not None else None

    async def _subsession(self, event: Event, sessions: dict[tuple[int, int], list[LeagueSession]]) -> int | None:
        if event.source == EventSource.OFFICIAL:
            stored = await aio.official_subsession(event_id=event.id)
            return stored if stored is not None else await self._search_official(event)
        if self.client is None or event.league_id is None or event.league_season_id is None:
            return None
        key = (event.league_id, event.league_season_id)
        if key not in sessions:
            if not self._due(key):
                return None
            got = await self.client.league_season_sessions(key[0], key[1], results_only=True)
            sessions[key] = got.sessions
        found = league_session_of(event, sessions[key])
        return found.subsession_id if found else None
