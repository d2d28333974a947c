"""What ``member/get?include_licenses=true`` shows: each member's ratings, moved by their official races.

Assumptions (iRacing documents none of this; see the README): a race moves the member's iRating, safety rating or
licence in their series' category once its result is out and ``staleness`` more seconds have passed (member data
is served through caches); a share of races (``unchanged_share``) changes none of the three, so a poller that only
watches ratings misses them. The simulated clock must not run backwards (scans are incremental per member).
"""

from __future__ import annotations

from typing import Any

from .catalog import LICENSE_CATEGORY
from .world import Member, World, mix

GROUPS = ("Rookie", "Class D", "Class C", "Class B", "Class A", "Pro")


class RatingsFeed:
    """The ratings each member shows at a time, from the newest race of theirs that changed them (per category)."""

    def __init__(
        self, world: World, *, result_delay: float, staleness: float, unchanged_share: float, lookback: float = 86400
    ) -> None:
        self.world = world
        self.result_delay = result_delay
        self.staleness = staleness
        self.unchanged_share = unchanged_share
        self.lookback = lookback
        # cust_id -> (races ended up to here are scanned, newest race per licence category)
        self._scan: dict[int, tuple[float, dict[int, int]]] = {}
        self._licenses: dict[int, tuple[tuple[int, ...], list[dict[str, Any]]]] = {}

    def moves_ratings(self, member: Member, subsession_id: int) -> bool:
        return mix(self.world.seed, member.cust_id, subsession_id, 77) >= self.unchanged_share

    def newest_races(self, member: Member, now: float) -> dict[int, int]:
        """Per category, the member's newest race that has reached ``member/get`` by ``now`` (absent: none seen)."""
        horizon = now - self.result_delay - self.staleness
        scanned, newest = self._scan.get(member.cust_id, (horizon - self.lookback, {}))
        if horizon > scanned:
            newest = dict(newest)
            longest = self.world.longest_session(member)
            for session in self.world.member_sessions(member, scanned - longest, horizon):
                if scanned < session.end <= horizon:
                    split = self.world.split_of(member, session)
                    if (
                        split is not None
                        and self.world.is_official(session)  # unofficial sessions rate nobody
                        and self.moves_ratings(member, session.subsession_id(split))
                    ):
                        newest[session.series.category_id] = session.subsession_id(split)
            self._scan[member.cust_id] = (horizon, newest)
        return newest

    def newest_race(self, member: Member, now: float) -> int:
        """The subsession of the member's newest rated race seen by ``now`` (0: none)."""
        return max(self.newest_races(member, now).values(), default=0)

    def licenses(self, member: Member, now: float) -> list[dict[str, Any]]:
        newest = self.newest_races(member, now)
        key = tuple(newest.get(c, 0) for c in sorted(LICENSE_CATEGORY))
        cached = self._licenses.get(member.cust_id)
        if cached is not None and cached[0] == key:
            return cached[1]  # unchanged since the last call: the same ratings (read-only for callers)
        seed = self.world.seed
        level = member.license_level
        out = []
        for category_id, name in sorted(LICENSE_CATEGORY.items()):
            race = newest.get(category_id, 0)
            irating = member.irating + (int(mix(seed, member.cust_id, race, 1) * 161) - 80 if race else 0)
            sub_level = member.sub_level + (int(mix(seed, member.cust_id, race, 2) * 61) - 30 if race else 0)
            sub_level = max(1, min(499, sub_level))
            out.append(
                {
                    "category_id": category_id,
                    "category": name.lower(),
                    "category_name": name.replace("_", " "),
                    "license_level": level,
                    "safety_rating": sub_level / 100,
                    "irating": irating,
                    "group_name": GROUPS[min(len(GROUPS) - 1, (level - 1) // 4)],
                }
            )
        self._licenses[member.cust_id] = (key, out)
        return out
