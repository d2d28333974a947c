"""A deterministic iRacing world generated from a seed.

Everything is a pure function of ``(seed, member count, time)``: the same seed gives the same members, the same
sessions and the same results, whenever and however often they are asked for. Nothing is stored; sessions exist on
their schedules and get results once their end time has passed on the simulator's clock.

Assumptions that are ours, not iRacing's (see the README): each member races at a personal rate (most a few races a
week, some daily, a few several a day, some not at all), mostly in one "home" series and, for some, now and then
in a second one, never in two sessions at once; splits hold at most 20 entries by iRating; a result is visible as
soon as the session's end time has passed; iRating and safety rating do not carry over from one race to the next.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from . import names
from .catalog import CARS, SERIES, SeriesDef

EPOCH_2024 = int(datetime(2024, 1, 2, tzinfo=UTC).timestamp())  # a Tuesday, when iRacing weeks begin
MASK64 = (1 << 64) - 1
SPLIT_SIZE = 20
# Room for this many splits in a session's subsession ids. With room for only four, a fifth split (more than 80
# entrants, common once thousands of members share a series) got the id of another series' session: results/get
# answered 404 (or another race) for it and the race was lost. Entrants beyond this many splits are turned away.
SPLITS_PER_SESSION = 64
WEEKS_PER_SEASON = 12
SUBSESSION_BASE = 90_000_000
LEAGUE_SUBSESSION_BASE = 70_000_000
# Races a day by activity tier: (cumulative share of members, fewest, most); a member's rate is drawn in its tier.
# Most members race a few times a week, a quarter about daily, one in ten several times a day, 15 % not at all.
ACTIVITY_TIERS = ((0.15, 0.0, 0.0), (0.65, 0.15, 0.7), (0.90, 0.8, 1.5), (1.0, 3.0, 6.0))
# Two members in five also race a second series, for this share of their races (the drivers who switch series).
SECOND_SERIES_MEMBERS = 0.4
SECOND_SERIES_SHARE = 0.25


MIX_START = 0x9E3779B97F4A7C15


def mix_state(*values: int, state: int = MIX_START) -> int:
    """The state ``mix`` reaches after ``values``, starting from ``state``: draws that share their first values
    continue from it with ``mix_from`` (``mix_from(mix_state(a, b), c) == mix(a, b, c)``) instead of mixing the
    shared values again for every draw."""
    x = state
    for v in values:
        x = (x ^ (v & MASK64)) * 0xBF58476D1CE4E5B9 & MASK64
        x = (x ^ (x >> 27)) * 0x94D049BB133111EB & MASK64
        x ^= x >> 31
    return x


def mix(*values: int) -> float:
    """A deterministic uniform number in [0, 1) from integers (splitmix64; never Python's salted ``hash``)."""
    return mix_state(*values) / 2**64


def mix_from(state: int, *values: int) -> float:
    """``mix`` of the values behind ``state`` followed by ``values``."""
    return mix_state(*values, state=state) / 2**64


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Member:
    cust_id: int
    display_name: str
    irating: int
    sub_level: int  # safety rating × 100
    license_level: int
    series_index: int
    races_per_day: float
    car_id: int
    second_index: int = -1  # a second series raced now and then (-1: none)
    second_share: float = 0.0  # the share of this member's races in the second series


@dataclass(frozen=True)
class Session:
    series_index: int
    start: int  # epoch seconds

    @property
    def series(self) -> SeriesDef:
        return SERIES[self.series_index]

    @property
    def end(self) -> int:
        return self.start + self.series.session_minutes * 60

    @property
    def minute(self) -> int:
        return (self.start - EPOCH_2024) // 60

    @property
    def session_id(self) -> int:
        return 300_000_000 + self.minute * 16 + self.series_index

    def subsession_id(self, split: int) -> int:
        assert 0 <= split < SPLITS_PER_SESSION
        return SUBSESSION_BASE + (self.minute * 16 + self.series_index) * SPLITS_PER_SESSION + split


@dataclass(frozen=True)
class League:
    league_id: int
    name: str
    season_id: int
    race_hour: int  # daily race at this UTC hour
    roster: tuple[tuple[int, str | None], ...]  # (cust_id, car_number)
    owner_id: int


class World:
    """Members, schedules, sessions, results and leagues of one seed."""

    def __init__(self, seed: int = 1, members: int = 2000, *, official_min: int = 1) -> None:
        self.seed = seed
        # A session with fewer entrants than this is unofficial: rated by nobody (the README's assumptions).
        self.official_min = official_min
        self.members: list[Member] = [self._make_member(i) for i in range(members)]
        self.by_id = {m.cust_id: m for m in self.members}
        self._member_state = {m.cust_id: mix_state(seed, m.cust_id) for m in self.members}  # (seed, member) mixed
        self.home: list[list[Member]] = [[] for _ in SERIES]  # members who race each series (home or second)
        for m in self.members:
            self.home[m.series_index].append(m)
            if m.second_index >= 0:
                self.home[m.second_index].append(m)
        self.leagues = [self._make_league(i) for i in range(2)]
        self.league_by_id = {lg.league_id: lg for lg in self.leagues}

    # -- members --------------------------------------------------------------------------------------------------

    def _make_member(self, i: int) -> Member:
        u = functools.partial(mix_from, mix_state(self.seed, i))
        first = names.FIRST[int(u(1) * len(names.FIRST))]
        last = names.LAST[int(u(2) * len(names.LAST))]
        name = f"{first} {last}"
        if u(3) < 0.25:
            name = names.DECORATIONS[int(u(4) * len(names.DECORATIONS))].format(name=name)
        tier_draw = u(5)
        low, high = next((lo, hi) for threshold, lo, hi in ACTIVITY_TIERS if tier_draw < threshold)
        rate = low + u(12) * (high - low)
        series_index = int(u(6) * len(SERIES))
        second = (series_index + 1 + int(u(14) * (len(SERIES) - 1))) % len(SERIES)
        has_second = u(13) < SECOND_SERIES_MEMBERS
        class_id = SERIES[series_index].class_ids[int(u(8) * len(SERIES[series_index].class_ids))]
        cars = [c for c in CARS if c[3] == class_id]
        return Member(
            cust_id=100_000 + i * 7 + self.seed % 7,
            display_name=name,
            irating=int(800 + u(7) ** 1.5 * 5000),
            sub_level=int(150 + u(9) * 349),
            license_level=int(5 + u(10) * 15),
            series_index=series_index,
            races_per_day=rate,
            car_id=cars[int(u(11) * len(cars))][0],
            second_index=second if has_second else -1,
            second_share=SECOND_SERIES_SHARE if has_second else 0.0,
        )

    def member_state(self, cust_id: int) -> int:
        """``mix_state(seed, cust_id)``: where every draw about one member starts (kept for the world's members)."""
        state = self._member_state.get(cust_id)
        return mix_state(self.seed, cust_id) if state is None else state

    def _make_league(self, i: int) -> League:
        pool = [m for m in self.members if mix(self.seed, 7000 + i, m.cust_id) < 0.08][:40]
        roster: list[tuple[int, str | None]] = []
        for j, m in enumerate(pool):
            draw = mix(self.seed, 7100 + i, m.cust_id)
            number: str | None = None if draw < 0.15 else str(1 + j * 3 % 99)
            if j == 3:
                number = "07"  # "07" and "7" are different numbers in iRacing
            roster.append((m.cust_id, number))
        return League(
            league_id=7001 + i,
            name=("SimLane Sunday Cup", "Nordic **Endurance** League")[i],
            season_id=128_000 + i,
            race_hour=19 + i,
            roster=tuple(roster),
            owner_id=pool[0].cust_id if pool else self.members[0].cust_id,
        )

    def lookup(self, term: str, league_id: int | None = None) -> list[Member]:
        term = term.strip()
        pool = self.members
        if league_id is not None:
            league = self.league_by_id.get(league_id)
            ids = {c for c, _ in league.roster} if league else set()
            pool = [m for m in pool if m.cust_id in ids]
        if term.isascii() and term.isdigit():  # "²" is a digit to isdigit() but not to int(): a name search
            return [m for m in pool if m.cust_id == int(term)]
        folded = term.casefold()
        return [m for m in pool if folded in m.display_name.casefold()][:25]

    # -- seasons and schedules ------------------------------------------------------------------------------------

    @staticmethod
    def season_start(year: int, quarter: int) -> int:
        """Seasons start on the Tuesday on or before the first day of their quarter."""
        first = datetime(year, 3 * (quarter - 1) + 1, 1, tzinfo=UTC)
        first -= timedelta(days=(first.weekday() - 1) % 7)
        return int(first.timestamp())

    @staticmethod
    def quarter_of(ts: float) -> tuple[int, int]:
        d = datetime.fromtimestamp(ts, UTC)
        year, quarter = d.year, (d.month - 1) // 3 + 1
        if ts < World.season_start(year, quarter):
            year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
        nxt = (year, quarter + 1) if quarter < 4 else (year + 1, 1)
        if ts >= World.season_start(*nxt):
            return nxt
        return year, quarter

    @staticmethod
    def season_id(series_index: int, year: int, quarter: int) -> int:
        return 6000 + ((year - 2024) * 4 + quarter - 1) * 20 + series_index

    @staticmethod
    def decode_season(season_id: int) -> tuple[int, int, int] | None:
        x = season_id - 6000
        if x < 0 or x % 20 >= len(SERIES):
            return None
        q = x // 20
        return x % 20, 2024 + q // 4, q % 4 + 1

    def race_week(self, series_index: int, ts: float) -> tuple[int, int, int, int]:
        """(season_id, race_week_num, week_start, track_id) in force at ``ts``."""
        year, quarter = self.quarter_of(ts)
        start = self.season_start(year, quarter)
        week = min(int((ts - start) // (7 * 86400)), WEEKS_PER_SEASON)  # week 13 repeats the last slot
        tracks = SERIES[series_index].tracks
        return (
            self.season_id(series_index, year, quarter),
            week,
            start + week * 7 * 86400,
            tracks[week % len(tracks)],
        )

    def sessions_between(self, series_index: int, begin: float, end: float) -> list[Session]:
        """Sessions of one series starting in [begin, end)."""
        s = SERIES[series_index]
        day = int(begin // 86400) * 86400
        first = day + s.first_minute * 60
        step = s.repeat_minutes * 60
        k = max(0, int((begin - first) // step))
        out = []
        t = first + k * step
        while t < end:
            if t >= begin:
                out.append(Session(series_index, int(t)))
            t += step
        return out

    def session_of_subsession(self, subsession_id: int) -> tuple[Session, int] | None:
        x = subsession_id - SUBSESSION_BASE
        if x < 0:
            return None
        split, y = x % SPLITS_PER_SESSION, x // SPLITS_PER_SESSION
        series_index, minute = y % 16, y // 16
        if series_index >= len(SERIES):
            return None
        session = Session(series_index, EPOCH_2024 + minute * 60)
        if session not in self.sessions_between(series_index, session.start, session.start + 1):
            return None
        return session, split

    # -- participation and results ---------------------------------------------------------------------------------

    @functools.lru_cache(maxsize=256)  # noqa: B019 - the world lives as long as the simulator
    def _day_plan(self, series_index: int, day: int) -> tuple[dict[int, frozenset[int]], dict[int, list[Member]]]:
        """Who enters which of one series' sessions on one UTC day: (cust_id -> slots, slot -> members).

        Drawn per member and day, not per member and session, so that a session's entrants cost one pass over the
        series' members a day rather than one per session: ``floor(rate × share + u)`` races that day, in slots
        drawn uniformly from the day's sessions (a collision just means one race fewer).
        """
        s = SERIES[series_index]
        slots_a_day = (1440 - s.first_minute - 1) // s.repeat_minutes + 1
        by_member: dict[int, frozenset[int]] = {}
        by_slot: dict[int, list[Member]] = {}
        for m in self.home[series_index]:
            share = 1.0 - m.second_share if series_index == m.series_index else m.second_share
            # Every draw of this member, day and series mixes the same four values first.
            state = mix_state(day, series_index, state=self.member_state(m.cust_id))
            races = min(int(m.races_per_day * share + mix_from(state, 1)), slots_a_day)
            if races <= 0:
                continue
            slots = frozenset(int(mix_from(state, 2 + j) * slots_a_day) for j in range(races))
            by_member[m.cust_id] = slots
            for slot in slots:
                by_slot.setdefault(slot, []).append(m)
        return by_member, by_slot

    @staticmethod
    def _slot(session: Session) -> tuple[int, int]:
        """(UTC day, the session's number that day)."""
        day = session.start // 86400
        s = session.series
        return day, (session.start - day * 86400 - s.first_minute * 60) // (s.repeat_minutes * 60)

    def _entered(self, member: Member, session: Session) -> bool:
        day, slot = self._slot(session)
        return slot in self._day_plan(session.series_index, day)[0].get(member.cust_id, ())

    def races_in(self, member: Member, session: Session) -> bool:
        if session.series_index == member.series_index:
            return self._entered(member, session)
        if session.series_index != member.second_index or not self._entered(member, session):
            return False
        # One session at a time: a home race that overlaps this one is the one the member drives.
        home = SERIES[member.series_index]
        return not any(
            h.end > session.start and self._entered(member, h)
            for h in self.sessions_between(member.series_index, session.start - home.session_minutes * 60, session.end)
        )

    def series_of(self, member: Member) -> list[int]:
        """The series the member races: home first."""
        return [member.series_index] + ([member.second_index] if member.second_index >= 0 else [])

    def longest_session(self, member: Member) -> int:
        return max(SERIES[i].session_minutes for i in self.series_of(member)) * 60

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - the world lives as long as the simulator
    def splits(self, session: Session) -> tuple[tuple[Member, ...], ...]:
        day, slot = self._slot(session)
        entrants = sorted(
            (m for m in self._day_plan(session.series_index, day)[1].get(slot, ()) if self.races_in(m, session)),
            key=lambda m: -m.irating,
        )
        if session.series.team and len(entrants) % 2:
            entrants = entrants[:-1]
        entrants = entrants[: SPLIT_SIZE * SPLITS_PER_SESSION]
        return tuple(tuple(entrants[i : i + SPLIT_SIZE]) for i in range(0, len(entrants), SPLIT_SIZE))

    def entries(self, session: Session) -> int:
        return sum(len(split) for split in self.splits(session))

    def is_official(self, session: Session) -> bool:
        """Whether the session counts: an official series with at least ``official_min`` entrants."""
        return session.series.official and self.entries(session) >= self.official_min

    def member_sessions(self, member: Member, begin: float, end: float) -> list[Session]:
        """Sessions the member raced that *started* in [begin, end), in start order."""
        out = []
        for index in self.series_of(member):
            series = SERIES[index]
            for day in range(int(begin // 86400), int((end - 1) // 86400) + 1):
                for slot in sorted(self._day_plan(index, day)[0].get(member.cust_id, ())):
                    session = Session(index, day * 86400 + series.first_minute * 60 + slot * series.repeat_minutes * 60)
                    if begin <= session.start < end and self.races_in(member, session):
                        out.append(session)
        return sorted(out, key=lambda s: s.start) if member.second_index >= 0 else out

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - the world lives as long as the simulator
    def _split_index(self, session: Session) -> dict[int, int]:
        return {m.cust_id: i for i, split in enumerate(self.splits(session)) for m in split}

    def split_of(self, member: Member, session: Session) -> int | None:
        return self._split_index(session).get(member.cust_id)
