"""SimLane's poller: adaptive per-driver searches, each result fetched once, every tracked driver in it handled.

One :meth:`ResultsPoller.cycle` searches the drivers that are due (policy.py says when a driver is due and why),
fetches each new subsession once, claims a ledger row for every server that tracks any driver in it, and moves
poll state forward. Posting is the outbox's job. The cycle's searches share the client's rate budget; one driver's
failure is logged and retried next cycle, and iRacing maintenance ends the cycle early without losing state.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from simlane.iracing.client import IRacingClient, IRacingError, MaintenanceError
from simlane.iracing.client.models import SearchResultRow, SubsessionResult
from simlane.iracing.client.models.results import EVENT_TYPE_RACE
from simlane.iracing.client.ratelimit import background

from .. import aio
from ..models import DriverPollState
from ..selectors import Subscription
from .detect import RatingsWatch, account_of
from .ingest import SubsessionFetcher, claims_for_result, participants, race_kind
from .plan import make_plan, warn_if_short
from .policy import PollPolicy, fallback_at, next_poll_at, sweep_at
from .unofficial import GUIDE_MINUTES, SmallSessions

logger = logging.getLogger(__name__)

GUIDE_REFRESH_SECONDS = 20 * 60  # the race guide covers three hours; refreshing every 20 minutes keeps 2h40 ahead
HANDLED_MEMORY = 20_000
MAX_WINDOW = timedelta(days=89)  # iRacing refuses search windows over 90 days
WARN_EVERY_SECONDS = 15 * 60  # a shortfall is logged at most this often
UNFETCHED_RETRY = timedelta(days=1)  # a listed race whose result stays missing this long is logged and let go
SNAPSHOT_HANDLED = 2_000  # races remembered as handled across processes (a repeat costs no call: results are stored)
Partition = tuple[int, int]  # (index, count): this poller's drivers are those with cust_id % count == index


class Subscriptions:
    """Who is tracked where, reloaded only when tracking or settings changed (tens of thousands of rows).

    One per process is enough: every poller of the process (a Celery worker runs one per partition task) reads it.
    """

    def __init__(self) -> None:
        self._subs: dict[int, list[Subscription]] = {}
        self._version: tuple[object, ...] | None = None

    async def get(self) -> dict[int, list[Subscription]]:
        version = await aio.subscriptions_version()
        if version != self._version:
            self._subs = await aio.subscriptions_by_driver()
            self._version = version
        return self._subs


@dataclass
class CycleReport:
    due: int = 0
    searched: int = 0
    skipped: int = 0  # due, but another driver's result already covered them
    claims: int = 0
    changed: int = 0  # drivers whose ratings moved since their last search
    need_per_minute: float = 0.0  # Data API calls a minute the schedule needs ...
    budget_per_minute: float = 0.0  # ... what the budget allows the poller ...
    shortfall_per_minute: float = 0.0  # ... and what is missing (0: no driver waits longer than the policy says)
    errors: int = 0
    maintenance: bool = False


class ResultsPoller:
    def __init__(
        self,
        client: IRacingClient,
        *,
        now: Callable[[], datetime],
        policy: PollPolicy | None = None,
        concurrency: int = 4,
        fetcher: SubsessionFetcher | None = None,
        on_claims: Callable[[], Awaitable[object]] | None = None,
        accounts: Sequence[IRacingClient] = (),
        partition: Partition | None = None,
        subscriptions: Subscriptions | None = None,
    ) -> None:
        self.client = client
        # A share of the drivers (Celery workers search one partition each); claims still cover every tracked
        # driver in a race found here, so a race is posted to every server however its drivers are partitioned.
        self.partition = partition
        self.subscriptions = subscriptions or Subscriptions()
        self.now = now
        self.policy = policy or PollPolicy()
        self.concurrency = concurrency
        self.fetcher = fetcher or SubsessionFetcher(client)
        # Called after a search claimed new posts (the runner passes the outbox's drain): results go out as they
        # are found, not after a pass that can take many minutes at thousands of drivers.
        self.on_claims = on_claims
        self.series_ends: dict[int, list[datetime]] = {}
        self._guide_at: float | None = None
        self.small = SmallSessions(self.policy)  # sessions too small to go official, listed after they end
        # Series this poller's drivers raced lately (whose small sessions are listed); None until the poll states
        # are loaded. A search that reveals one more has the guide read again.
        self._followed: set[int] | None = None
        self._guide_stale = False
        self._listing_calls = 0
        self._handled: OrderedDict[int, None] = OrderedDict()
        self._unfetched: dict[int, datetime] = {}  # driver -> end of the oldest listed race results/get lacked
        self.stretch = 1.0  # the plan's factor on every gap (1.0 when the budget covers the schedule)
        self._changes_per_minute = 0.0
        self._warned_at = float("-inf")
        self._states: dict[int, DriverPollState] = {}
        # Several iRacing accounts (up to three users per client): drivers are spread over them, each account
        # sweeping and searching its share on its own rate budget. ``client`` is the first.
        self.clients = [client, *accounts]
        self.watch = RatingsWatch(self.clients, self.policy, concurrency=concurrency)
        self._searchers: set[int] = set()  # drivers some server follows for hosted or league races

    async def cycle(self) -> CycleReport:
        # Background lane of the rate budget: slash-command lookups sharing the account go first.
        with background():
            return await self._cycle()

    async def _cycle(self) -> CycleReport:
        report = CycleReport()
        now = self.now()
        subs = await self.subscriptions.get()
        mine = self._mine(subs)
        if not mine:
            return report
        states = await self._states_of(mine)
        followers = self._followers(states, now)
        try:
            await self._refresh_guide(now, followers)
        except MaintenanceError:
            report.maintenance = True
            return report
        except IRacingError as exc:  # the guide only sharpens the schedule; the caps still hold without it
            logger.warning("race guide unavailable: %s", exc)
        self._searchers = {c for c, ss in mine.items() if any(x.include_hosted or x.include_league for x in ss)}
        plan = make_plan(
            now=now,
            last_races={c: states[c].last_race_at for c in mine},
            searchers=self._searchers,
            changes_per_minute=self._changes_per_minute,
            policy=self.policy,
            accounts=len(self.clients),
            event_sweeps_per_minute=self._event_sweeps(followers),
            small_sessions_per_minute=self.small.per_minute,
        )
        report.need_per_minute, report.budget_per_minute = plan.need_per_minute, plan.budget_per_minute
        report.shortfall_per_minute, self.stretch = plan.shortfall, plan.stretch
        if plan.shortfall and now.timestamp() - self._warned_at >= WARN_EVERY_SECONDS:
            warn_if_short(plan, len(mine))
            self._warned_at = now.timestamp()
        sweeps_before = self.watch.calls
        try:
            report.changed = await self._sweep(mine, states, now)
            minutes = max(self.policy.interval.total_seconds(), 1.0) / 60
            self._changes_per_minute = 0.8 * self._changes_per_minute + 0.2 * report.changed / minutes
        except MaintenanceError:
            report.maintenance = True
            return report
        self._listing_calls = 0
        try:
            await self._list_small_sessions(subs, states, now, report)
        except MaintenanceError:
            report.maintenance = True
            return report
        # Searches cover what ended up to the moment after the sweep: a race the sweep saw is inside their window.
        now = self.now()
        due = [c for c, s in states.items() if s.next_poll_at is None or s.next_poll_at <= now]
        # Drivers whose ratings moved first (active ones before others), newly tracked drivers' first searches last.
        due.sort(
            key=lambda c: (
                states[c].last_poll_at is None,
                not self.policy.is_active(now, states[c].last_race_at),
                states[c].next_poll_at or now,
            )
        )
        report.due = len(due)
        # No more searches a cycle than the budget allows until the next one (the rest stay due, in this order):
        # a backlog, such as thousands of drivers tracked at once, never holds up the next cycle's sweep.
        minutes = self.policy.interval.total_seconds() / 60
        spent = self.watch.calls - sweeps_before + self._listing_calls
        room = self.policy.budget_per_minute * len(self.clients) * minutes - spent
        queue = deque(due[: max(self.concurrency * len(self.clients), int(room / 1.5))])

        async def worker() -> None:
            while queue and not report.maintenance:
                cust_id = queue.popleft()
                st = states[cust_id]
                if st.next_poll_at is not None and st.next_poll_at > now:
                    report.skipped += 1
                    continue
                try:
                    await self._search(cust_id, subs, states, now, report)
                except MaintenanceError:
                    report.maintenance = True
                except IRacingError as exc:
                    report.errors += 1
                    logger.warning("searching driver %s failed (retried next cycle): %s", cust_id, exc)

        await asyncio.gather(*(worker() for _ in range(self.concurrency * len(self.clients))))
        return report

    def _mine(self, subs: dict[int, list[Subscription]]) -> dict[int, list[Subscription]]:
        if self.partition is None:
            return subs
        index, count = self.partition
        return {c: s for c, s in subs.items() if c % count == index}

    def snapshot(self) -> dict[str, Any]:
        """The poller's memory between cycles as JSON, for the next worker that takes this partition."""
        return {
            **self.watch.snapshot(),
            "handled": list(self._handled)[-SNAPSHOT_HANDLED:],
            "unfetched": {str(c): at.timestamp() for c, at in self._unfetched.items()},
            "guide_at": self._guide_at,
            "series_ends": {str(s): [e.timestamp() for e in ends] for s, ends in self.series_ends.items()},
            **self.small.snapshot(),
            "stretch": self.stretch,
            "changes_per_minute": self._changes_per_minute,
        }

    def restore(self, snapshot: Mapping[str, Any]) -> None:
        """Carry on from :meth:`snapshot` (poll states themselves are read from the database)."""
        if not snapshot:
            return
        self.watch.restore(snapshot)
        self._handled = OrderedDict((int(s), None) for s in snapshot.get("handled", ()))
        self._unfetched = {int(c): datetime.fromtimestamp(t, UTC) for c, t in snapshot.get("unfetched", {}).items()}
        self._guide_at = snapshot.get("guide_at")
        ends = snapshot.get("series_ends", {})
        self.series_ends = {int(s): [datetime.fromtimestamp(e, UTC) for e in v] for s, v in ends.items()}
        self.small.restore(snapshot)
        self._followed = None
        self.stretch = float(snapshot.get("stretch", 1.0))
        self._changes_per_minute = float(snapshot.get("changes_per_minute", 0.0))

    async def _states_of(self, subs: dict[int, list[Subscription]]) -> dict[int, DriverPollState]:
        """Poll states, kept in memory between cycles: this poller is their only writer and saves every change
        (with partitions, the only writer of its partition's drivers while it holds the partition's lease)."""
        missing = [c for c in subs if c not in self._states]
        if missing:
            known = await aio.poll_states(cust_ids=missing)
            for c in missing:
                self._states[c] = known.get(c) or DriverPollState(cust_id=c, recent_series={})
        return {c: self._states[c] for c in subs}

    async def _sweep(
        self, subs: dict[int, list[Subscription]], states: dict[int, DriverPollState], now: datetime
    ) -> int:
        """Read the ratings of the drivers due a sweep; those whose ratings moved are due a search now."""
        due = self.watch.due(subs.keys(), now)
        read = await self.watch.sweep(due, now)
        changed = 0
        moved = []  # saved at once: a process that takes over must neither miss the change nor search it again
        for cust_id in read:
            st, seen = states[cust_id], self.watch.seen.get(cust_id)
            self._schedule_sweep(st, now)
            if seen is None or seen == st.ratings:
                continue
            if not st.ratings or self._explained(st, now):
                # Newly tracked (these ratings are the baseline; their first search is due anyway), or the change
                # is that of a race already handled through another tracked driver's result.
                st.ratings = seen
            else:
                changed += 1
                st.next_poll_at = now
            moved.append(st)
        if moved:
            await aio.poll_states_save(states=moved)
        return changed

    def _schedule_sweep(self, st: DriverPollState, now: datetime, *, sooner_only: bool = False) -> None:
        at = sweep_at(
            now=now,
            cust_id=st.cust_id,
            last_race_at=st.last_race_at,
            known_series=self._known_series(st, now),
            series_ends=self.series_ends,
            policy=self.policy,
            stretch=self.stretch,
        )
        self.watch.schedule(st.cust_id, at, sooner_only=sooner_only)

    def _known_series(self, st: DriverPollState, now: datetime) -> list[int]:
        horizon = (now - self.policy.series_memory).timestamp()
        return [int(k) for k, ts in st.recent_series.items() if ts >= horizon]

    def _explained(self, st: DriverPollState, now: datetime) -> bool:
        """Whether a ratings change is that of the driver's newest race, already handled (one race at a time)."""
        return (
            st.last_race_at is not None
            and st.last_poll_at is not None
            and st.last_poll_at >= st.last_race_at
            and now - st.last_race_at <= self.policy.explain_window
        )

    async def _refresh_guide(self, now: datetime, followers: Mapping[int, int]) -> None:
        if self._followed is None:  # a fresh poller, or one restored from a snapshot: no call needed for it
            self._followed = set(followers)
        at = self._guide_at
        if (
            at is not None
            and now.timestamp() - at < GUIDE_REFRESH_SECONDS
            and not self._guide_stale
            and not self.small.unconfirmed_started(now.timestamp(), at)
        ):
            return
        guide = await self.client.race_guide(start_from=now, include_end_after_from=True)
        ends: dict[int, list[datetime]] = {}
        for s in guide.sessions:
            if s.series_id is not None and s.end_time is not None:
                ends.setdefault(s.series_id, []).append(s.end_time)
        self.series_ends = {k: sorted(v) for k, v in ends.items()}
        self._followed = set(followers)
        self.small.observe(guide.sessions, self._followed, now.timestamp())
        self._guide_at, self._guide_stale = now.timestamp(), False

    async def _list_small_sessions(
        self,
        subs: dict[int, list[Subscription]],
        states: dict[int, DriverPollState],
        now: datetime,
        report: CycleReport,
    ) -> None:
        """List each ended small session and ingest its races; save the poll states they moved, post the claims."""
        touched: set[int] = set()
        claimed = 0
        for key in self.small.due(now.timestamp()):
            done, created = await self._list_one(key, subs, states, touched, now, report)
            claimed += created
            if done:
                self.small.listed(key)
            elif not self.small.retry(key, now.timestamp()):
                logger.warning("series %s: the small session at %s could not be listed in time", key[0], key[1])
        if touched:
            await aio.poll_states_save(states=[states[c] for c in touched])
        if claimed and self.on_claims is not None:
            await self._post_now()

    async def _list_one(
        self,
        key: tuple[int, int],
        subs: dict[int, list[Subscription]],
        states: dict[int, DriverPollState],
        touched: set[int],
        now: datetime,
        report: CycleReport,
    ) -> tuple[bool, int]:
        """One session's races, each fetched and ingested: (every race was, posts claimed). An empty listing is not
        done: the result may be late."""
        series_id, start = key
        client = self.clients[series_id % len(self.clients)]
        begin = datetime.fromtimestamp(start, UTC)
        claimed, done = 0, True
        try:
            self._listing_calls += 1
            rows = await client.search_series(
                series_id=series_id,
                start_range_begin=begin,
                start_range_end=begin + timedelta(minutes=1),
                event_types=[EVENT_TYPE_RACE],
            )
            for row in rows:
                if row.subsession_id in self._handled:
                    continue
                self._listing_calls += 1
                result = await self.fetcher.get(row.subsession_id)
                if result is None:
                    done = False
                    continue
                created = await self._ingest(result, 0, subs, states, touched, now)
                report.claims += created
                claimed += created
        except MaintenanceError:
            raise
        except IRacingError as exc:
            report.errors += 1
            logger.warning("listing the small session of series %s at %s failed: %s", series_id, begin, exc)
            return False, claimed
        return done and bool(rows), claimed

    async def _search(
        self,
        cust_id: int,
        subs: dict[int, list[Subscription]],
        states: dict[int, DriverPollState],
        now: datetime,
        report: CycleReport,
    ) -> None:
        """Search one driver, claim what is new, save the poll states that moved, then post what was claimed."""
        st = states[cust_id]
        touched = {cust_id}
        p = self.policy
        begin = now - p.first_window if st.last_poll_at is None else max(st.last_poll_at - p.overlap, now - MAX_WINDOW)
        try:
            claimed = await self._search_rows(cust_id, subs, states, touched, begin, now, report)
        except Exception:
            # Other drivers' states moved by races claimed before the failure are kept; this driver's window did
            # not move, so the next search covers the same time again.
            await aio.poll_states_save(states=[states[c] for c in touched])
            raise
        st.last_poll_at = now
        # The ratings this search accounts for (read before it started): the next change is the next race.
        st.ratings = self.watch.seen.get(cust_id, st.ratings)
        pending = self._unfetched.pop(cust_id, None)
        if pending is not None and now - pending < UNFETCHED_RETRY:
            st.last_poll_at = min(now, pending + self.policy.overlap)  # the next window reaches back to that race
        st.next_poll_at = self._next(st, now)
        for c in touched:  # a search can reveal series: the next sessions of those are swept after they end
            self._schedule_sweep(states[c], now, sooner_only=True)
        # Saved as soon as this driver's search completes (claims are already in the ledger): a crash later in the
        # pass loses neither this search nor what it found.
        await aio.poll_states_save(states=[states[c] for c in touched])
        if claimed and self.on_claims is not None:
            await self._post_now()

    async def _search_rows(
        self,
        cust_id: int,
        subs: dict[int, list[Subscription]],
        states: dict[int, DriverPollState],
        touched: set[int],
        begin: datetime,
        now: datetime,
        report: CycleReport,
    ) -> int:
        """Search one driver's window and ingest each race not handled yet; how many posts were claimed."""
        st = states[cust_id]
        claimed = 0
        client = self.clients[account_of(cust_id, len(self.clients))]
        rows: list[SearchResultRow] = await client.search_series(
            cust_id=cust_id, finish_range_begin=begin, finish_range_end=now, event_types=[EVENT_TYPE_RACE]
        )
        if any(s.include_hosted or s.include_league for s in subs[cust_id]):
            rows += await client.search_hosted(cust_id=cust_id, finish_range_begin=begin, finish_range_end=now)
        report.searched += 1
        since = min(s.tracked_since for s in subs[cust_id])
        for row in rows:
            if row.event_type not in (None, EVENT_TYPE_RACE):
                continue
            self._note_race(st, row.end_time, row.series_id if not row.league_id else None)
            if row.subsession_id in self._handled or (row.end_time is not None and row.end_time <= since):
                continue  # already handled here, or older than the tracking: learn from the row, fetch nothing
            result = await self.fetcher.get(row.subsession_id)
            if result is None and row.end_time is not None:
                # Listed but not fetchable (yet): the driver's next window must still reach back to it.
                self._unfetched[cust_id] = min(self._unfetched.get(cust_id, row.end_time), row.end_time)
                logger.warning("driver %s: subsession %s is listed but has no results yet", cust_id, row.subsession_id)
            if result is not None:
                # Awaited before adding: ``report.claims += await ...`` reads the counter before the await and
                # writes it back after, losing what concurrent searches added meanwhile.
                created = await self._ingest(result, cust_id, subs, states, touched, now)
                report.claims += created
                claimed += created
        return claimed

    async def _ingest(
        self,
        result: SubsessionResult,
        polled: int,
        subs: dict[int, list[Subscription]],
        states: dict[int, DriverPollState],
        touched: set[int],
        now: datetime,
    ) -> int:
        """Claim posts for every tracked driver in the race and move their poll state (cross-driver discovery)."""
        self._handled[result.subsession_id] = None
        while len(self._handled) > HANDLED_MEMORY:
            self._handled.popitem(last=False)
        created: int = await aio.posts_claim(claims=claims_for_result(result, subs))
        series_id = result.series_id if race_kind(result) == "series" else None
        for cust_id in set(participants(result)) & states.keys():  # this poller's drivers: it owns their state
            st = states[cust_id]
            self._note_race(st, result.end_time, series_id)
            touched.add(cust_id)
            if cust_id == polled:
                continue
            covered = (
                st.last_poll_at is not None
                and result.start_time is not None
                and result.end_time is not None
                and st.last_poll_at >= result.start_time
            )
            if covered and result.end_time is not None:
                # They were in this race since their last search, so it is their only news until it ended.
                st.last_poll_at = max(st.last_poll_at or result.end_time, result.end_time)
                st.next_poll_at = self._next(st, now)
            else:
                st.next_poll_at = min(st.next_poll_at or now, self._next(st, now))
        return created

    async def _post_now(self) -> None:
        """Post what was just claimed. A failure here is the outbox's to retry: it never stops the searches."""
        assert self.on_claims is not None
        try:
            await self.on_claims()
        except Exception:
            logger.exception("posting results as found failed; the outbox retries at the end of the cycle")

    def _note_race(self, st: DriverPollState, end: datetime | None, series_id: int | None) -> None:
        if end is None:
            return
        if st.last_race_at is None or end > st.last_race_at:
            st.last_race_at = end
        if series_id:
            if self._followed is not None and series_id not in self._followed:
                self._followed.add(series_id)
                self._guide_stale = True  # its small sessions are in the guide already: read it again
            key = str(series_id)
            st.recent_series[key] = max(st.recent_series.get(key, 0.0), end.timestamp())

    def _followers(self, states: dict[int, DriverPollState], now: datetime) -> dict[int, int]:
        """How many of these drivers raced each series within the series memory."""
        horizon = (now - self.policy.series_memory).timestamp()
        followers: dict[int, int] = {}
        for st in states.values():
            for k, ts in st.recent_series.items():
                if ts >= horizon:
                    followers[int(k)] = followers.get(int(k), 0) + 1
        return followers

    def _event_sweeps(self, followers: Mapping[int, int]) -> float:
        """member/get calls a minute the sweeps after sessions of the drivers' known series cost."""
        per_minute = sum(n * len(self.series_ends.get(sid, ())) / GUIDE_MINUTES for sid, n in followers.items())
        return per_minute / max(1, self.policy.ratings_batch)

    def _next(self, st: DriverPollState, now: datetime) -> datetime:
        horizon = (now - self.policy.series_memory).timestamp()
        st.recent_series = {k: v for k, v in st.recent_series.items() if v >= horizon}
        if st.cust_id not in self._searchers:
            # Official races show in the ratings sweep, unofficial ones in the small sessions' listing; searching
            # is the rare safety net.
            at = fallback_at(now=now, cust_id=st.cust_id, last_race_at=st.last_race_at, policy=self.policy)
            return now + (at - now) * self.stretch  # a short budget spaces everyone's checks out evenly
        at = next_poll_at(
            now=now,
            cust_id=st.cust_id,
            last_race_at=st.last_race_at,
            recent_series=st.recent_series,
            series_ends=self.series_ends,
            policy=self.policy,
        )
        return now + (at - now) * self.stretch
