"""Every recorded iRacing response parses, and units and bases come out right."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simlane.iracing.client.endpoints import ENDPOINT_MODELS
from simlane.iracing.client.models import LapTime, SubsessionResult
from simlane.iracing.simulator.replay import RECORDED_DIR

# Recorded file → the endpoint whose model parses it.
PARSED = {
    "lookup_drivers.json": "lookup/drivers",
    "lookup_drivers_by_league.json": "lookup/drivers",
    "member.json": "member/get",
    "member_with_licenses.json": "member/get",
    "member_info.json": "member/info",
    "member_profile.json": "member/profile",
    "member_profile_no_activity.json": "member/profile",
    "stats_member_recent_races.json": "stats/member_recent_races",
    "result_search_series.json": "results/search_series",
    "result_search_hosted.json": "results/search_hosted",
    "result.json": "results/get",
    "result_with_team.json": "results/get",
    "result_with_licenses.json": "results/get",
    "result_lap_data.json": "results/lap_data",
    "result_lap_chart_data.json": "results/lap_chart_data",
    "result_lap_chart_data_qualify.json": "results/lap_chart_data",
    "result_event_log.json": "results/event_log",
    "result_season_results.json": "results/season_results",
    "league_get.json": "league/get",
    "league_get_with_licenses.json": "league/get",
    "league_roster.json": "league/roster",
    "league_roster_with_licenses.json": "league/roster",
    "league_seasons.json": "league/seasons",
    "league_seasons_retired.json": "league/seasons",
    "league_season_sessions.json": "league/season_sessions",
    "league_season_sessions_results_only.json": "league/season_sessions",
    "league_season_standings.json": "league/season_standings",
    "league_season_standings_with_car.json": "league/season_standings",
    "get_cars.json": "car/get",
    "cars.json": "car/get",
    "get_carclasses.json": "carclass/get",
    "get_tracks.json": "track/get",
    "tracks.json": "track/get",
    "get_series.json": "series/get",
    "series.json": "series/get",
    "series_past_seasons.json": "series/past_seasons",
    "series_season_schedule.json": "series/season_schedule",
    "season_list.json": "season/list",
    "season_race_guide.json": "season/race_guide",
    "season_spectator_subsessionids.json": "season/spectator_subsessionids",
    "constants_categories.json": "constants/categories",
    "constants_divisions.json": "constants/divisions",
    "constants_event_types.json": "constants/event_types",
}
# The recorded directory holds exactly the parsed files (plus its licence and README): a file added there must be
# given the endpoint that parses it here, and a file listed here must be there.
NOT_JSON = {"LICENSE", "README.md"}


def _load(name: str):
    return json.loads((RECORDED_DIR / name).read_text(encoding="utf-8"))


def test_every_fixture_is_accounted_for(fixtures_dir: Path):
    on_disk = {p.name for p in fixtures_dir.iterdir()}
    assert on_disk == set(PARSED) | NOT_JSON


@pytest.mark.parametrize(("name", "endpoint"), sorted(PARSED.items()), ids=sorted(PARSED))
def test_recorded_fixture_parses(fixtures_dir, name, endpoint):
    parsed = ENDPOINT_MODELS[endpoint].validate_python(_load(name))
    assert parsed is not None


def test_unknown_fields_are_kept_and_missing_optional_ones_tolerated(fixtures_dir):
    raw = _load("result.json")
    raw["brand_new_field"] = {"x": 1}
    del raw["series_logo"]
    raw["session_results"][-1]["results"][0].pop("best_lap_time")
    result = SubsessionResult.model_validate(raw)
    assert result.model_extra and result.model_extra["brand_new_field"] == {"x": 1}
    assert result.series_logo is None


def test_results_get_positions_are_zero_based_and_lap_times_ten_thousandths(fixtures_dir):
    result = SubsessionResult.model_validate(_load("result.json"))
    race = result.main_event()
    assert race is not None and race.simsession_number == 0
    winner = min(race.results, key=lambda r: r.finish_position)
    assert winner.finish_position == 0 and winner.finish_position.ordinal == 1
    assert LapTime(1317601).format() == "2:11.760"
    assert LapTime(-1).format() == "—" and LapTime(-1).seconds is None


def test_team_event_rows_carry_their_drivers(fixtures_dir):
    result = SubsessionResult.model_validate(_load("result_with_team.json"))
    race = result.main_event()
    assert race is not None
    team = race.results[0]
    assert team.is_team and team.team_id is not None and team.team_id < 0
    assert team.driver_results and all(d.cust_id for d in team.driver_results)
    assert team.irating_change is None and team.driver_results[0].irating_change == 28
