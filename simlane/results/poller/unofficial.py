"""Unofficial sessions: too small to go official, they move no rating, so no ratings sweep sees their races.

The race guide shows each session's registrations. A session of a series this poller's drivers race that ends with
fewer than ``PollPolicy.official_min_entries`` entrants is listed as a whole after it ends (one series search by its
start time) and each of its races fetched, which claims them for every tracked driver in them. This module keeps the
candidates and when to list each; the poller makes the calls.

A count seen after a session's start is its entry list. One seen before may still grow, or shrink by withdrawals, so
before the start only a count well above the minimum lets a candidate go; a session never seen after its start is
listed on its last count. A listing that comes back empty or fails is asked again after a back-off, not every cycle,
and given up ``small_session_patience`` after the session's end.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import astuple, dataclass
from typing import Any

from simlane.iracing.client.models.catalog import RaceGuideSession

from .policy import PollPolicy

Key = tuple[int, int]  # (series_id, start as epoch seconds)
# Seconds after the session's end (plus the publish margin) for each listing try: a result that is late is asked for
# again a few times, each a little later, instead of every cycle for the whole patience.
LIST_AFTER = (0.0, 5 * 60.0, 15 * 60.0, 45 * 60.0, 90 * 60.0)
GUIDE_MINUTES = 180.0  # the race guide lists three hours of sessions


@dataclass
class Candidate:
    start: float
    end: float
    count: int
    final: bool  # seen after its start: the entry list
    tries: int = 0


class SmallSessions:
    def __init__(self, policy: PollPolicy) -> None:
        self.policy = policy
        self.sessions: dict[Key, Candidate] = {}
        self.per_minute = 0.0  # listings a minute the last guide announced (the budget plan counts two calls each)

    def observe(self, guide: Iterable[RaceGuideSession], followed: set[int], now: float) -> None:
        """Take the newest counts of the race guide's sessions in the series this poller's drivers race."""
        minimum = self.policy.official_min_entries
        announced = 0
        for s in guide:
            if s.series_id is None or s.end_time is None or s.entry_count is None or s.series_id not in followed:
                continue
            start, key = s.start_time.timestamp(), (s.series_id, int(s.start_time.timestamp()))
            final = start <= now
            if final and (s.entry_count >= minimum or s.entry_count == 0):
                self.sessions.pop(key, None)  # official, or nobody raced: nothing to list
            elif not final and s.entry_count >= 2 * minimum:
                self.sessions.pop(key, None)  # far too many registrations for withdrawals to undo
            elif s.entry_count < minimum or key in self.sessions:
                self.sessions[key] = Candidate(start, s.end_time.timestamp(), s.entry_count, final)
                announced += 1
        self.per_minute = announced / GUIDE_MINUTES

    def unconfirmed_started(self, now: float, guide_at: float) -> bool:
        """Whether a candidate started after the guide was read and is still running: its count is final now."""
        return any(not c.final and guide_at < c.start <= now < c.end for c in self.sessions.values())

    def due(self, now: float) -> list[Key]:
        """Candidates to list now: ended, published, small by their newest count, and not waiting a back-off."""
        margin = self.policy.publish_margin.total_seconds()
        return [
            key
            for key, c in self.sessions.items()
            if c.count < self.policy.official_min_entries
            and c.tries < len(LIST_AFTER)
            and c.end + margin + LIST_AFTER[c.tries] <= now
        ]

    def listed(self, key: Key) -> None:
        self.sessions.pop(key, None)

    def retry(self, key: Key, now: float) -> bool:
        """A listing that was empty or failed: try again later, or give up (False) after the patience."""
        c = self.sessions.get(key)
        if c is None:
            return False
        c.tries += 1
        patience = self.policy.small_session_patience.total_seconds()
        if c.tries >= len(LIST_AFTER) or now - c.end > patience:
            del self.sessions[key]
            return False
        return True

    def snapshot(self) -> dict[str, Any]:
        return {
            "small": [[sid, start, *astuple(c)] for (sid, start), c in self.sessions.items()],
            "small_per_minute": self.per_minute,
        }

    def restore(self, snapshot: Mapping[str, Any]) -> None:
        self.sessions = {}
        for sid, key_start, start, end, count, final, tries in snapshot.get("small", ()):
            self.sessions[(int(sid), int(key_start))] = Candidate(
                float(start), float(end), int(count), bool(final), int(tries)
            )
        self.per_minute = float(snapshot.get("small_per_minute", 0.0))
