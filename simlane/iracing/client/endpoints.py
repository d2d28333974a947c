"""Which model parses which endpoint's resolved payload."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from . import models as m

ENDPOINT_MODELS: dict[str, TypeAdapter[Any]] = {
    "lookup/drivers": TypeAdapter(list[m.LookupDriver]),
    "member/get": TypeAdapter(m.MemberGet),
    "member/info": TypeAdapter(m.MemberInfo),
    "member/profile": TypeAdapter(m.MemberProfile),
    "stats/member_recent_races": TypeAdapter(m.MemberRecentRaces),
    "results/search_series": TypeAdapter(list[m.SearchResultRow]),
    "results/search_hosted": TypeAdapter(list[m.SearchResultRow]),
    "results/get": TypeAdapter(m.SubsessionResult),
    "results/lap_data": TypeAdapter(list[m.LapRow]),
    "results/lap_chart_data": TypeAdapter(list[m.LapRow]),
    "results/event_log": TypeAdapter(list[m.EventLogRow]),
    "results/season_results": TypeAdapter(m.SeasonResults),
    "league/get": TypeAdapter(m.League),
    "league/roster": TypeAdapter(m.LeagueRoster),
    "league/seasons": TypeAdapter(m.LeagueSeasons),
    "league/season_sessions": TypeAdapter(m.LeagueSeasonSessions),
    "league/season_standings": TypeAdapter(m.LeagueSeasonStandings),
    "car/get": TypeAdapter(list[m.Car]),
    "carclass/get": TypeAdapter(list[m.CarClass]),
    "track/get": TypeAdapter(list[m.Track]),
    "series/get": TypeAdapter(list[m.Series]),
    "series/seasons": TypeAdapter(list[m.Season]),
    "series/past_seasons": TypeAdapter(m.PastSeasons),
    "series/season_schedule": TypeAdapter(m.SeasonSchedule),
    "season/list": TypeAdapter(m.SeasonList),
    "season/race_guide": TypeAdapter(m.RaceGuide),
    "season/spectator_subsessionids": TypeAdapter(m.SpectatorSubsessionIds),
    "constants/categories": TypeAdapter(list[m.Constant]),
    "constants/divisions": TypeAdapter(list[m.Constant]),
    "constants/event_types": TypeAdapter(list[m.Constant]),
    "weather/forecast": TypeAdapter(list[m.ForecastPoint]),  # not an endpoint: the schedule's weather_url
}


def normalize_endpoint(endpoint: str) -> str:
    """Accept ``results/get``, ``/results/get`` or ``/data/results/get``."""
    path = endpoint.strip().strip("/")
    return path.removeprefix("data/")
