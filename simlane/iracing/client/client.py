"""The async iRacing Data API client: one object per iRacing account, shared by everything in a process."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any, TypeVar

import httpx
from redis.asyncio import Redis

from . import models as m
from .auth import MemberTokenAuthenticator, MemoryTokenStore, OAuthAuthenticator, TokenStore
from .clock import Clock, SystemClock
from .config import ClientConfig
from .endpoints import ENDPOINT_MODELS, normalize_endpoint
from .errors import LinkExpiredError
from .metrics import ClientMetrics
from .shared_budget import SharedRateBudget, budget_account
from .transport import Transport

logger = logging.getLogger(__name__)
T = TypeVar("T")

# Links, data_url and chunk headers nest at most this deep (link → header → chunks).
_MAX_INDIRECTIONS = 4


@dataclass(frozen=True)
class Resolved:
    """A fully resolved payload; ``header`` is the chunk header when the rows came from chunks."""

    body: Any
    header: dict[str, Any] | None = None


class IRacingClient:
    """Typed access to the Data API with OAuth, link/chunk resolution, pacing and bounded retries."""

    def __init__(
        self,
        config: ClientConfig,
        *,
        http: httpx.AsyncClient | None = None,
        token_store: TokenStore | None = None,
        clock: Clock | None = None,
        member_token: str | None = None,
    ) -> None:
        """``member_token``: ask as a member, with the access token their sign-in gave, instead of as the
        configured account (the token is used as it is and never renewed)."""
        self.config = config
        self.metrics = ClientMetrics()
        self._clock = clock or SystemClock()
        self._owns_http = http is None
        self._http = http or httpx.AsyncClient(
            limits=httpx.Limits(max_connections=config.concurrency + config.download_concurrency + 2),
            headers={"User-Agent": "SimLane (+https://github.com/simlane)"},
            follow_redirects=False,
        )
        self._auth = (
            MemberTokenAuthenticator(member_token, config, self._http, self._clock, self.metrics)
            if member_token
            else OAuthAuthenticator(config, self._http, token_store or MemoryTokenStore(), self._clock, self.metrics)
        )
        shared = None
        self._redis: Redis | None = None
        if config.shared_budget_url:  # the account's budget is shared with every process through Redis
            self._redis = Redis.from_url(config.shared_budget_url)
            account = budget_account(config.client_id, config.username)
            shared = SharedRateBudget(
                self._redis, account, self._clock, self.metrics, request_timeout=config.request_timeout
            )
        self._transport = Transport(config, self._http, self._auth, self._clock, self.metrics, shared=shared)

    async def __aenter__(self) -> IRacingClient:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()
        if self._redis is not None:
            await self._redis.aclose()

    # -- generic access -------------------------------------------------------------------------------------------

    async def get(self, endpoint: str, params: dict[str, Any] | None = None) -> Any:
        """Return the fully resolved JSON of ``/data/<endpoint>`` (links followed, chunks concatenated)."""
        return (await self.get_resolved(endpoint, params)).body

    async def get_resolved(
        self, endpoint: str, params: dict[str, Any] | None = None, *, retry: bool = True
    ) -> Resolved:
        """Like :meth:`get`, also returning the chunk header (lap_data carries best laps there).

        ``retry=False`` makes one attempt of each request and never waits for the rate-limit window: the first
        failure raises (for callers that must answer within a deadline).
        """
        path = normalize_endpoint(endpoint)
        attempts = 1 + self.config.max_link_refreshes if retry else 1
        for attempt in range(1, attempts + 1):
            payload = await self._transport.get_data(path, params, retry=retry)
            try:
                return await self._resolve(payload, retry=retry)
            except LinkExpiredError:
                # Links live for a minute or two; a fresh /data call gets new ones.
                if attempt == attempts:
                    raise
                logger.info("iRacing link for /data/%s expired; asking for a fresh one", path)
        raise AssertionError("unreachable")  # pragma: no cover

    async def access_token(self) -> str:
        """A valid access token (authenticating or refreshing first if needed)."""
        return await self._auth.access_token()

    async def fetch_url(self, url: str) -> Any:
        """Download and parse an unauthenticated iRacing URL (for example a schedule's ``weather_url``)."""
        return await self._transport.download(url)

    async def _resolve(self, payload: Any, *, retry: bool = True) -> Resolved:
        for _ in range(_MAX_INDIRECTIONS):
            if not isinstance(payload, dict):
                return Resolved(payload)
            link = payload.get("link")
            if isinstance(link, str) and set(payload) <= {"link", "expires"}:
                payload = await self._transport.download(link, retry=retry)
                continue
            data_url = payload.get("data_url")
            if isinstance(data_url, str):
                payload = await self._transport.download(data_url, retry=retry)
                continue
            if "chunk_info" in payload:
                return Resolved(await self._chunks(payload.get("chunk_info"), retry=retry), header=payload)
            data = payload.get("data")
            if isinstance(data, dict) and "chunk_info" in data:
                return Resolved(await self._chunks(data.get("chunk_info"), retry=retry), header=payload)
            return Resolved(payload)
        return Resolved(payload)

    async def _chunks(self, info: Any, *, retry: bool = True) -> list[Any]:
        """Fetch every chunk concurrently and concatenate them; no or empty chunk info is an empty result."""
        if not isinstance(info, dict):
            return []
        base = str(info.get("base_download_url") or "")
        names = info.get("chunk_file_names") or []
        parts = await asyncio.gather(*(self._transport.download(base + str(name), retry=retry) for name in names))
        rows: list[Any] = []
        for part in parts:
            if isinstance(part, list):
                rows.extend(part)
        return rows

    async def _typed(self, endpoint: str, params: dict[str, Any] | None = None, *, retry: bool = True) -> Any:
        resolved = await self.get_resolved(endpoint, params, retry=retry)
        return ENDPOINT_MODELS[endpoint].validate_python(resolved.body)

    # -- typed endpoints ------------------------------------------------------------------------------------------

    async def lookup_drivers(
        self, search_term: str, *, league_id: int | None = None, retry: bool = True
    ) -> list[m.LookupDriver]:
        """``lookup/drivers``; ``retry=False`` for autocomplete, which must answer within Discord's 3 seconds."""
        result: list[m.LookupDriver] = await self._typed(
            "lookup/drivers", {"search_term": search_term, "league_id": league_id}, retry=retry
        )
        return result

    async def member_get(self, cust_ids: list[int], *, include_licenses: bool = False) -> m.MemberGet:
        result: m.MemberGet = await self._typed(
            "member/get", {"cust_ids": cust_ids, "include_licenses": include_licenses}
        )
        return result

    async def member_info(self) -> m.MemberInfo:
        result: m.MemberInfo = await self._typed("member/info")
        return result

    async def member_profile(self, cust_id: int | None = None) -> m.MemberProfile:
        result: m.MemberProfile = await self._typed("member/profile", {"cust_id": cust_id})
        return result

    async def member_recent_races(self, cust_id: int) -> m.MemberRecentRaces:
        result: m.MemberRecentRaces = await self._typed("stats/member_recent_races", {"cust_id": cust_id})
        return result

    async def search_series(self, **params: Any) -> list[m.SearchResultRow]:
        """``results/search_series``; pass iRacing's parameter names (``cust_id``, ``finish_range_begin``...)."""
        result: list[m.SearchResultRow] = await self._typed("results/search_series", params)
        return result

    async def search_hosted(self, **params: Any) -> list[m.SearchResultRow]:
        result: list[m.SearchResultRow] = await self._typed("results/search_hosted", params)
        return result

    async def results_get(self, subsession_id: int, *, include_licenses: bool = False) -> m.SubsessionResult:
        result: m.SubsessionResult = await self._typed(
            "results/get", {"subsession_id": subsession_id, "include_licenses": include_licenses}
        )
        return result

    async def results_lap_data(
        self,
        subsession_id: int,
        *,
        simsession_number: int = 0,
        cust_id: int | None = None,
        team_id: int | None = None,
    ) -> list[m.LapRow]:
        params = {
            "subsession_id": subsession_id,
            "simsession_number": simsession_number,
            "cust_id": cust_id,
            "team_id": team_id,
        }
        result: list[m.LapRow] = await self._typed("results/lap_data", params)
        return result

    async def results_lap_chart_data(self, subsession_id: int, *, simsession_number: int = 0) -> list[m.LapRow]:
        params = {"subsession_id": subsession_id, "simsession_number": simsession_number}
        result: list[m.LapRow] = await self._typed("results/lap_chart_data", params)
        return result

    async def results_event_log(self, subsession_id: int, *, simsession_number: int = 0) -> list[m.EventLogRow]:
        params = {"subsession_id": subsession_id, "simsession_number": simsession_number}
        result: list[m.EventLogRow] = await self._typed("results/event_log", params)
        return result

    async def season_results(
        self, season_id: int, *, event_type: int | None = None, race_week_num: int | None = None
    ) -> m.SeasonResults:
        params = {"season_id": season_id, "event_type": event_type, "race_week_num": race_week_num}
        result: m.SeasonResults = await self._typed("results/season_results", params)
        return result

    async def league_get(self, league_id: int, *, include_licenses: bool = False) -> m.League:
        result: m.League = await self._typed(
            "league/get", {"league_id": league_id, "include_licenses": include_licenses}
        )
        return result

    async def league_roster(self, league_id: int, *, include_licenses: bool = False) -> m.LeagueRoster:
        result: m.LeagueRoster = await self._typed(
            "league/roster", {"league_id": league_id, "include_licenses": include_licenses}
        )
        return result

    async def league_seasons(self, league_id: int, *, retired: bool = False) -> m.LeagueSeasons:
        result: m.LeagueSeasons = await self._typed("league/seasons", {"league_id": league_id, "retired": retired})
        return result

    async def league_season_sessions(
        self, league_id: int, season_id: int, *, results_only: bool = False
    ) -> m.LeagueSeasonSessions:
        params = {"league_id": league_id, "season_id": season_id, "results_only": results_only}
        result: m.LeagueSeasonSessions = await self._typed("league/season_sessions", params)
        return result

    async def league_season_standings(
        self, league_id: int, season_id: int, *, car_class_id: int | None = None, car_id: int | None = None
    ) -> m.LeagueSeasonStandings:
        params = {
            "league_id": league_id,
            "season_id": season_id,
            "car_class_id": car_class_id,
            "car_id": car_id,
        }
        result: m.LeagueSeasonStandings = await self._typed("league/season_standings", params)
        return result

    async def cars(self) -> list[m.Car]:
        result: list[m.Car] = await self._typed("car/get")
        return result

    async def car_classes(self) -> list[m.CarClass]:
        result: list[m.CarClass] = await self._typed("carclass/get")
        return result

    async def tracks(self) -> list[m.Track]:
        result: list[m.Track] = await self._typed("track/get")
        return result

    async def series(self) -> list[m.Series]:
        result: list[m.Series] = await self._typed("series/get")
        return result

    async def series_seasons(
        self,
        *,
        include_series: bool = False,
        season_year: int | None = None,
        season_quarter: int | None = None,
    ) -> list[m.Season]:
        params = {
            "include_series": include_series,
            "season_year": season_year,
            "season_quarter": season_quarter,
        }
        result: list[m.Season] = await self._typed("series/seasons", params)
        return result

    async def series_past_seasons(self, series_id: int) -> m.PastSeasons:
        result: m.PastSeasons = await self._typed("series/past_seasons", {"series_id": series_id})
        return result

    async def series_season_schedule(self, season_id: int) -> m.SeasonSchedule:
        result: m.SeasonSchedule = await self._typed("series/season_schedule", {"season_id": season_id})
        return result

    async def season_list(self, season_year: int, season_quarter: int) -> m.SeasonList:
        params = {"season_year": season_year, "season_quarter": season_quarter}
        result: m.SeasonList = await self._typed("season/list", params)
        return result

    async def race_guide(
        self, *, start_from: datetime | None = None, include_end_after_from: bool | None = None
    ) -> m.RaceGuide:
        params = {"from": start_from, "include_end_after_from": include_end_after_from}
        result: m.RaceGuide = await self._typed("season/race_guide", params)
        return result

    async def spectator_subsession_ids(self, *, event_types: list[int] | None = None) -> m.SpectatorSubsessionIds:
        result: m.SpectatorSubsessionIds = await self._typed(
            "season/spectator_subsessionids", {"event_types": event_types}
        )
        return result

    async def constants(self, kind: str) -> list[m.Constant]:
        """``constants/categories``, ``constants/divisions`` or ``constants/event_types``."""
        result: list[m.Constant] = await self._typed(f"constants/{kind}")
        return result

    async def weather_forecast(self, weather_url: str) -> list[m.ForecastPoint]:
        result: list[m.ForecastPoint] = ENDPOINT_MODELS["weather/forecast"].validate_python(
            await self.fetch_url(weather_url)
        )
        return result
