"""Every recorded iRacing response parses, and units and bases come out right."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simlane.conftest import FIXTURES
from simlane.iracing.client.endpoints import ENDPOINT_MODELS
from simlane.iracing.client.models import LapTime, SubsessionResult

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
# Recorded endpoints SimLane does not use (yet): they are read as JSON only, and listed so that a new fixture is
# noticed by test_every_fixture_is_accounted_for.
UNUSED = {
    "driver_list.json",
    "get_cars_assets.json",
    "get_series_assets.json",
    "get_tracks_assets.json",
    "hosted_combined_sessions.json",
    "hosted_combined_sessions_with_package.json",
    "hosted_sessions.json",
    "league_cust_league_sessions.json",
    "league_cust_league_sessions_with_package.json",
    "league_directory.json",
    "league_directory_member_only.json",
    "league_directory_search.json",
    "league_get_points_systems.json",
    "league_get_points_systems_with_season.json",
    "league_membership.json",
    "league_membership_with_league.json",
    "lookup_countries.json",
    "lookup_flairs.json",
    "lookup_get.json",
    "lookup_licenses.json",
    "member_award_instances.json",
    "member_awards.json",
    "member_chart_data_irating.json",
    "member_chart_data_oval.json",
    "member_chart_data_safety.json",
    "member_chart_data_ttrating.json",
    "member_participation_credits.json",
    "season_spectator_subsessions_detail.json",
    "series_stats.json",
    "session_reg_drivers_list.json",
    "stats_member_bests.json",
    "stats_member_bests_with_car.json",
    "stats_member_career.json",
    "stats_member_division.json",
    "stats_member_recap.json",
    "stats_member_recap_quarter.json",
    "stats_member_recap_year.json",
    "stats_member_summary.json",
    "stats_member_yearly.json",
    "stats_season_driver_standings.json",
    "stats_season_qualify_results.json",
    "stats_season_supersession_standings.json",
    "stats_season_tt_results.json",
    "stats_season_tt_standings.json",
    "stats_world_records.json",
    "stats_world_records_with_season.json",
    "team.json",
    "team_membership.json",
    "team_with_licenses.json",
    "time_attack_member_season_results.json",
}


def _load(name: str):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def test_every_fixture_is_accounted_for(fixtures_dir: Path):
    on_disk = {p.name for p in fixtures_dir.glob("*.json")}
    assert on_disk == set(PARSED) | UNUSED


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
