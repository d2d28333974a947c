"""The /data endpoints of the simulator, one module per iRacing service: parameters in, (shape, payload) out."""

from __future__ import annotations

from ..leagues import LeagueRaces
from ..payloads import Payloads
from ..ratings import RatingsFeed
from ..world import World
from .base import Context, DataError, Reply, Route
from .catalog import CatalogRoutes
from .league import LeagueRoutes
from .member import MemberRoutes
from .results import ResultsRoutes
from .season import SeasonRoutes
from .series import SeriesRoutes

__all__ = ["DataError", "DataService", "Reply"]


class DataService:
    """Answers /data/<service>/<method> from the world, as of the simulator clock's ``now``."""

    def __init__(
        self,
        world: World,
        owner_cust_id: int,
        *,
        result_delay: float = 0.0,
        member_batch: int = 100,
        member_staleness: float = 120.0,
        unchanged_share: float = 0.01,
    ) -> None:
        self.world = world
        self.result_delay = result_delay
        self.payloads = Payloads(world)
        ctx = Context(world, self.payloads, LeagueRaces(world, self.payloads), owner_cust_id)
        ratings = RatingsFeed(
            world, result_delay=result_delay, staleness=member_staleness, unchanged_share=unchanged_share
        )
        self.members = MemberRoutes(ctx, ratings=ratings, batch=member_batch)
        self.results = ResultsRoutes(ctx)
        self.routes: dict[str, Route] = {
            **self.members.routes(),
            **self.results.routes(),
            **LeagueRoutes(ctx).routes(),
            **CatalogRoutes(ctx).routes(),
            **SeriesRoutes(ctx).routes(),
            **SeasonRoutes(ctx).routes(),
        }

    def handle(self, endpoint: str, params: dict[str, str], now: float, *, member: int | None = None) -> Reply:
        """``member``: the customer id of a member asking with their own sign-in token; ``member/info`` then
        describes them instead of the simulator's account (other endpoints answer alike for everyone)."""
        if member is not None and endpoint == "member/info":
            return self.members.info_of(member)
        route = self.routes.get(endpoint)
        if route is None:
            raise DataError(404, "Not Found")
        if endpoint.startswith("results/") or endpoint == "stats/member_recent_races":
            now -= self.result_delay  # results are published a little after the chequered flag
        return route(params, now)
