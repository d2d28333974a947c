"""The result embed over every recorded results/get payload, every driver in it."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.management import CommandError, call_command

from simlane.iracing.client.models import SubsessionResult
from simlane.iracing.simulator.replay import RECORDED_DIR
from simlane.results.embeds import (
    EMBED_TOTAL_MAX,
    GREEN,
    ORANGE,
    RED,
    DriverNotInResultError,
    embed_length,
    render_result_embed,
)

RESULT_FIXTURES = ["result.json", "result_with_team.json", "result_with_licenses.json"]


def _load(name: str) -> SubsessionResult:
    return SubsessionResult.model_validate(json.loads((RECORDED_DIR / name).read_text(encoding="utf-8")))


def _cust_ids(result: SubsessionResult) -> list[int]:
    """Every driver of the race: solo rows, and the drivers inside team rows."""
    race = result.main_event()
    assert race is not None
    return [d.cust_id for row in race.results for d in row.driver_results or [row] if d.cust_id is not None]


# (file, drivers in its race) — counted in the recorded payloads.
DRIVER_COUNTS = [("result.json", 30), ("result_with_team.json", 231), ("result_with_licenses.json", 30)]
# (file, driver, title, colour): results/get positions are 0-based (finish_position 0 is the winner, 29 the last
# of 30), the title shows them 1-based; team events give the car's overall and class position.
POSITIONS = [
    ("result.json", 473030, "🏁 Lukas Schwenk — P1", GREEN),  # finish_position 0
    ("result.json", 447143, "🏁 Alex Mohr — P4", ORANGE),  # finish_position 3
    ("result.json", 1253123, "🏁 Finley Jones — P5", ORANGE),  # finish_position 4
    ("result.json", 1386334, "🏁 Vili Tero — P12", RED),  # finish_position 11
    ("result.json", 399652, "🏁 Victor Hansen — P30", RED),  # finish_position 29, the last
    ("result_with_team.json", 846950, "🏁 Matthew Cheverton — P4 (Class P4)", ORANGE),
    ("result_with_team.json", 224720, "🏁 Stefan Lupperger — P11 (Class P2)", RED),  # 2nd Dallara P217
    ("result_with_team.json", 500311, "🏁 Joshua Easey — P59 (Class P12)", RED),  # the last of 59 cars
    ("result_with_licenses.json", 432652, "🏁 Valentin Kluss — P2", GREEN),  # finish_position 1
]


@pytest.mark.parametrize(("name", "count"), DRIVER_COUNTS)
def test_every_driver_gets_a_valid_embed_with_a_one_based_position(fixtures_dir, name, count):
    result = _load(name)
    drivers = _cust_ids(result)
    assert len(drivers) == count
    for cust_id in drivers:
        embed = render_result_embed(result, cust_id)
        assert re.search(r" — P([1-9]\d*)( \(Class P[1-9]\d*\))?$", embed["title"]), embed["title"]
        assert embed_length(embed) <= EMBED_TOTAL_MAX and len(embed["title"]) <= 256
        assert len(embed["fields"]) <= 25 and all(len(f["value"]) <= 1024 for f in embed["fields"])
        assert embed["footer"]["text"].startswith(f"Subsession {result.subsession_id} • ")
        assert embed["url"].endswith(f"subsessionid={result.subsession_id}")


@pytest.mark.parametrize(("name", "cust_id", "title", "colour"), POSITIONS, ids=[f"{p[0]}-{p[1]}" for p in POSITIONS])
def test_concrete_drivers_get_their_one_based_position_and_colour(fixtures_dir, name, cust_id, title, colour):
    embed = render_result_embed(_load(name), cust_id)
    assert embed["title"] == title
    assert embed["color"] == colour


def test_solo_winner_embed_shows_the_seed_fields(fixtures_dir):
    # Subsession 82263872: Lukas Schwenk (473030) won from 30 starters; the values below are read from the recorded
    # payload (best_lap_time 1317601 in 1/10000 s, incidents 2, iRating 6223 → 6260, sub level 330 → 337).
    embed = render_result_embed(_load("result.json"), 473030)
    assert embed["title"] == "🏁 Lukas Schwenk — P1"
    assert embed["description"] == (
        "**Series** GT4 Challenge by Falken Tyre\n"
        "**Track** Nürburgring Grand-Prix-Strecke — BES/WEC\n"
        "**Car** Ford Mustang GT4"
    )
    assert embed["fields"] == [
        {"name": "Field", "value": "30", "inline": True},
        {"name": "Laps", "value": "10", "inline": True},
        {"name": "Incidents", "value": "2", "inline": True},
        {"name": "SOF", "value": "2965", "inline": True},
        {"name": "Best lap", "value": "2:11.760", "inline": True},
        {"name": "iRating", "value": "6223 → 6260 (+37)", "inline": True},
        {"name": "Safety rating", "value": "3.30 → 3.37 (+0.07)", "inline": True},
        {"name": "Session", "value": "Official", "inline": True},
    ]
    assert embed["footer"]["text"] == "Subsession 82263872 • 2025-12-28 20:30 UTC"
    assert embed["timestamp"] == "2025-12-28T21:09:28+00:00"


def test_team_event_names_the_team_and_class_position(fixtures_dir):
    embed = render_result_embed(_load("result_with_team.json"), 1070827)
    assert embed["title"] == "🏁 Alexander Wainman — P1 (Class P1)"
    assert "**Team** Crayola Advanced Engineering" in embed["description"]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Incidents"] == "29 (team 75)" and fields["GTP SOF"] == "2373"
    assert fields["iRating"] == "3199 → 3227 (+28)" and fields["Safety rating"] == "4.68 → 4.71 (+0.03)"


def test_names_are_escaped_and_cannot_mention(fixtures_dir):
    raw = json.loads((RECORDED_DIR / "result.json").read_text(encoding="utf-8"))
    row = raw["session_results"][-1]["results"][0]
    row["display_name"] = "**Bold** @everyone <@123> _x_"
    embed = render_result_embed(SubsessionResult.model_validate(raw), row["cust_id"])
    assert "\\*\\*Bold\\*\\*" in embed["title"] and "\\_x\\_" in embed["title"]
    assert "@everyone" not in embed["title"] and "<@123>" not in embed["title"]


def test_a_driver_not_in_the_race_is_a_clear_error(fixtures_dir):
    with pytest.raises(DriverNotInResultError, match="not in the race"):
        render_result_embed(_load("result.json"), 1)


def test_render_command_prints_the_embed_payload(fixtures_dir):
    out = io.StringIO()
    call_command(
        "results",
        "render",
        "--file",
        str(RECORDED_DIR / "result_with_team.json"),
        "--cust-id",
        "1070827",
        "--json",
        stdout=out,
    )
    embed = json.loads(out.getvalue())
    assert embed["title"] == "🏁 Alexander Wainman — P1 (Class P1)"
    with pytest.raises(CommandError, match="not in the race"):
        call_command("results", "render", "--file", str(RECORDED_DIR / "result.json"), "--cust-id", "1")
    with pytest.raises(CommandError, match="not a results/get payload"):
        call_command("results", "render", "--file", str(RECORDED_DIR / "lookup_drivers.json"), "--cust-id", "1")
