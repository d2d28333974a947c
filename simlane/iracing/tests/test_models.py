"""Every recorded iRacing response parses, and units and bases come out right."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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


# (file, path of a collection in the parsed model, its length, path of one value, that value), read from the
# recorded files. Paths are attribute names and list indexes joined by dots ("" is the parsed value itself).
CONTENTS = [
    ("lookup_drivers.json", "", 9, "0.display_name", "Max Verstappen"),
    ("lookup_drivers_by_league.json", "", 0, None, None),
    ("member.json", "members", 1, "members.0.display_name", "Lukas Schwenk"),
    ("member_with_licenses.json", "members", 1, "members.0.display_name", "Lukas Schwenk"),
    ("member_info.json", "licenses", 5, "display_name", "Jason Dilworth"),
    ("member_profile.json", "recent_events", 0, "member_info.display_name", "Jason Dilworth"),
    ("member_profile_no_activity.json", "recent_events", 3, "recent_events.0.car_name", "Mercedes-AMG GT3 2020"),
    ("stats_member_recent_races.json", "races", 10, "races.0.subsession_id", 81425604),
    ("result_search_series.json", "", 3, "0.subsession_id", 82211702),
    ("result_search_hosted.json", "", 1529, "0.subsession_id", 81879146),
    ("result.json", "session_results", 3, "subsession_id", 82263872),
    ("result_with_team.json", "session_results", 3, "subsession_id", 82799850),
    ("result_with_licenses.json", "session_results", 3, "subsession_id", 82263872),
    ("result_lap_data.json", "", 11, "0.display_name", "Lukas Schwenk"),
    ("result_lap_chart_data.json", "", 297, "0.display_name", "Lukas Schwenk"),
    ("result_lap_chart_data_qualify.json", "", 81, "0.display_name", "Lukas Schwenk"),
    ("result_event_log.json", "", 8, "0.subsession_id", 82263872),
    ("result_season_results.json", "results_list", 5, "results_list.0.subsession_id", 81920196),
    ("league_get.json", "roster", 45, "league_name", "Battle Of The Leagues"),
    ("league_get_with_licenses.json", "roster", 45, "league_name", "Battle Of The Leagues"),
    ("league_roster.json", "roster", 45, "roster.0.display_name", "Jason Rushing"),
    ("league_roster_with_licenses.json", "roster", 45, "roster.0.display_name", "Jason Rushing"),
    ("league_seasons.json", "seasons", 5, "seasons.0.season_name", "SFL - 2025 Season 1"),
    ("league_seasons_retired.json", "seasons", 48, "seasons.0.season_name", "SFL - 2025 Season 1"),
    ("league_season_sessions.json", "sessions", 6, "sessions.0.subsession_id", 82074245),
    ("league_season_sessions_results_only.json", "sessions", 2, "sessions.0.subsession_id", 82074245),
    ("league_season_standings.json", "standings.driver_standings", 48, "league_id", 637),
    ("league_season_standings_with_car.json", "standings.driver_standings", 0, "league_id", 637),
    ("get_cars.json", "", 183, "0.car_name", "Skip Barber Formula 2000"),
    ("cars.json", "", 183, "0.car_name", "Skip Barber Formula 2000"),
    ("get_carclasses.json", "", 254, "0.name", "SK Modified"),
    ("get_tracks.json", "", 461, "0.track_name", "[Retired] Lime Rock Park - 2008"),
    ("tracks.json", "", 5, "0.track_name", "[Retired] Lime Rock Park - 2008"),
    ("get_series.json", "", 137, "0.series_name", "Toyota GR86 Cup by SIMAGIC"),
    ("series.json", "", 137, "0.series_name", "Toyota GR86 Cup by SIMAGIC"),
    ("series_past_seasons.json", "series.seasons", 84, "series_id", 139),
    ("series_season_schedule.json", "schedules", 12, "season_id", 5935),
    (
        "season_list.json",
        "seasons",
        181,
        "seasons.0.season_name",
        "13th Week Battle of the Little Wings - 2025 Season 4",
    ),
    ("season_race_guide.json", "sessions", 343, "sessions.0.series_id", 139),
    ("season_spectator_subsessionids.json", "subsession_ids", 690, "subsession_ids.0", 82370527),
    ("constants_categories.json", "", 6, "0.label", "Oval"),
    ("constants_divisions.json", "", 12, "0.label", "ALL"),
    ("constants_event_types.json", "", 4, "0.label", "Practice"),
]


def _at(value: Any, path: str) -> Any:
    for step in filter(None, path.split(".")):
        value = value[int(step)] if step.isdigit() else getattr(value, step)
    return value


def test_every_parsed_fixture_has_its_contents_checked():
    assert [c[0] for c in CONTENTS] == list(PARSED)


@pytest.mark.parametrize(("name", "collection", "count", "path", "value"), CONTENTS, ids=[c[0] for c in CONTENTS])
def test_recorded_fixture_parses(fixtures_dir, name, collection, count, path, value):
    parsed = ENDPOINT_MODELS[PARSED[name]].validate_python(_load(name))
    assert len(_at(parsed, collection)) == count
    if path is not None:
        assert _at(parsed, path) == value


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
