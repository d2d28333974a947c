"""The member service: ``lookup/drivers``, ``member/*`` and ``stats/member_recent_races``."""

from __future__ import annotations

from typing import Any

from ..catalog import CARS, TRACKS
from ..payloads import helmet
from ..ratings import RatingsFeed
from .base import Context, DataError, Reply, Route, Routes, bool_param, int_param, ints_param


def owned_packages(cust_id: int) -> dict[str, list[dict[str, Any]]]:
    """What the member owns, as ``member/info`` lists it (one package per car or track here): every third car and
    every fourth track, counted from an offset by member, is missing, so some members lack some content."""
    cars = [c[0] for i, c in enumerate(CARS) if (i + cust_id) % 3 != 0]
    tracks = [t.track_id for i, t in enumerate(TRACKS) if (i + cust_id) % 4 != 0]
    return {
        "car_packages": [{"package_id": car_id, "content_ids": [car_id]} for car_id in cars],
        "track_packages": [{"package_id": track_id, "content_ids": [track_id]} for track_id in tracks],
    }


class MemberRoutes(Routes):
    """Members, as the account that signed in sees them."""

    def __init__(self, ctx: Context, *, ratings: RatingsFeed, batch: int) -> None:
        super().__init__(ctx)
        self.ratings = ratings
        self.batch = batch

    def routes(self) -> dict[str, Route]:
        return {
            "lookup/drivers": self.lookup_drivers,
            "member/get": self.member_get,
            "member/info": self.member_info,
            "member/profile": self.member_profile,
            "stats/member_recent_races": self.recent_races,
        }

    def _member_json(self, cust_id: int) -> dict[str, Any]:
        m = self.world.by_id[cust_id]
        return {
            "cust_id": m.cust_id,
            "display_name": m.display_name,
            "helmet": helmet(m.cust_id),
            "last_login": "2026-01-01T12:00:00.123456789Z",
            "member_since": "2020-01-01",
            "flair_id": 2,
            "flair_name": "Global",
            "flair_shortname": "GLO",
            "ai": False,
        }

    def lookup_drivers(self, p: dict[str, str], now: float) -> Reply:
        term = p.get("search_term")
        if not term:
            raise DataError(400, "Bad Request")
        found = self.world.lookup(term, int_param(p, "league_id"))
        return Reply(
            "link",
            [
                {
                    "cust_id": m.cust_id,
                    "display_name": m.display_name,
                    "helmet": helmet(m.cust_id),
                    "profile_disabled": False,
                }
                for m in found
            ],
        )

    def member_get(self, p: dict[str, str], now: float) -> Reply:
        ids = ints_param(p, "cust_ids")
        if not ids or len(ids) > self.batch:
            raise DataError(400, "Bad Request")
        members = [self._member_json(i) for i in ids if i in self.world.by_id]
        if bool_param(p, "include_licenses"):
            for member in members:
                member["licenses"] = self.ratings.licenses(self.world.by_id[member["cust_id"]], now)
        return Reply("link", {"success": True, "cust_ids": ids, "members": members})

    def member_info(self, p: dict[str, str], now: float) -> Reply:
        return self.info_of(self.ctx.owner_cust_id)

    def info_of(self, cust_id: int) -> Reply:
        """``member/info`` of ``cust_id``: the account whose token asks."""
        m = self.world.by_id[cust_id]
        first, _, last = m.display_name.partition(" ")
        return Reply(
            "link",
            {
                **self._member_json(m.cust_id),
                "first_name": first,
                "last_name": last,
                "licenses": {
                    "sports_car": {
                        "category_id": 5,
                        "category": "sports_car",
                        "license_level": m.license_level,
                        "safety_rating": m.sub_level / 100,
                        "irating": m.irating,
                    }
                },
                "account": {"ir_credits": 0, "ir_dollars": 0, "status": "active"},
                **owned_packages(m.cust_id),
            },
        )

    def member_profile(self, p: dict[str, str], now: float) -> Reply:
        cust_id = int_param(p, "cust_id") or self.ctx.owner_cust_id
        if cust_id not in self.world.by_id:
            raise DataError(404, "Not Found")
        return Reply(
            "link",
            {
                "cust_id": cust_id,
                "success": True,
                "disabled": False,
                "member_info": self._member_json(cust_id),
                "activity": None,
                "recent_events": [],
                "license_history": [],
                "recent_awards": [],
                "follow_counts": {"followers": 0, "follows": 0},
            },
        )

    def recent_races(self, p: dict[str, str], now: float) -> Reply:
        cust_id = int_param(p, "cust_id") or self.ctx.owner_cust_id
        races: list[dict[str, Any]] = []
        end = now
        # Walk back a week at a time until 10 races are found (or 16 weeks, for the dormant).
        for _ in range(16):
            chunk = self.ctx.finished_results(cust_id, end - 7 * 86400, end, now)
            for result in reversed(chunk):
                row = self.payloads.recent_race(result, cust_id)
                if row:
                    races.append(row)
            end -= 7 * 86400
            if len(races) >= 10:
                break
        return Reply("link", {"cust_id": cust_id, "races": races[:10]})
