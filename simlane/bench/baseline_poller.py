"""ir2dis's per-driver poller, kept as the benchmark's baseline: what SimLane's poller is measured against.

Per tracked driver: a window from the last poll (or 48 h back), search, keep finished race sessions, and for each
session not yet posted fetch the full result, then mark it and move the poll timestamp. Every driver every cycle;
each driver's races fetched separately, whoever else is in them. It claims and posts through the same ledger and
outbox as SimLane, so the two differ only in how they find races.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from simlane.iracing import aio as iracing_aio
from simlane.iracing.client import IRacingClient, IRacingError, MaintenanceError
from simlane.iracing.client.models.results import EVENT_TYPE_RACE
from simlane.results import aio
from simlane.results.models import DriverPollState
from simlane.results.poller.ingest import claims_for_result
from simlane.results.poller.strategy import CycleReport
from simlane.results.selectors import Subscription

logger = logging.getLogger(__name__)


class BaselinePoller:
    def __init__(self, client: IRacingClient, *, now: Callable[[], datetime], concurrency: int = 4) -> None:
        self.client = client
        self.now = now
        self.semaphore = asyncio.Semaphore(concurrency)  # ir2dis's asyncio.Semaphore(4)

    async def cycle(self) -> CycleReport:
        report = CycleReport()
        subs = await aio.subscriptions_by_driver()
        known = await aio.poll_states(cust_ids=subs.keys())
        states = {c: known.get(c) or DriverPollState(cust_id=c, recent_series={}) for c in subs}
        report.due = len(states)

        async def poll(cust_id: int) -> None:
            async with self.semaphore:
                if report.maintenance:
                    return
                try:
                    report.claims += await self._poll(cust_id, states[cust_id], subs)
                    report.searched += 1
                except MaintenanceError:
                    report.maintenance = True
                except IRacingError as exc:
                    report.errors += 1
                    logger.warning("baseline: driver %s failed: %s", cust_id, exc)

        await asyncio.gather(*(poll(c) for c in states))
        await aio.poll_states_save(states=list(states.values()))
        return report

    async def _poll(self, cust_id: int, st: DriverPollState, subs: dict[int, list[Subscription]]) -> int:
        now = self.now()
        begin = st.last_poll_at or now - timedelta(hours=48)
        rows = await self.client.search_series(
            cust_id=cust_id, finish_range_begin=begin, finish_range_end=now, event_types=[EVENT_TYPE_RACE]
        )
        created = 0
        for row in rows:
            if row.event_type not in (None, EVENT_TYPE_RACE):
                continue
            guilds = {s.guild_id for s in subs[cust_id]}
            if guilds <= await aio.claimed_guilds(subsession_id=row.subsession_id, cust_id=cust_id):
                continue  # already posted everywhere
            result = await self.client.results_get(row.subsession_id)
            created += await aio.posts_claim(claims=claims_for_result(result, {cust_id: subs[cust_id]}))
            await iracing_aio.subsession_store(result)
        st.last_poll_at = now
        return created
