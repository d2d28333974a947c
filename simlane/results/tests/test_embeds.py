"""The result embed over every recorded results/get payload, every driver in it."""

from __future__ import annotations

import io
import json

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
from simlane.results.escaping import discord_safe

RESULT_FIXTURES = ["result.json", "result_with_team.json", "result_with_licenses.json"]


def _load(name: str) -> SubsessionResult:
    return SubsessionResult.model_validate(json.loads((RECORDED_DIR / name).read_text(encoding="utf-8")))


def _drivers(result: SubsessionResult) -> list[tuple[int, int, int]]:
    """(cust_id, 1-based overall position of the car, raw 0-based position) for every driver of the race."""
    race = result.main_event()
    assert race is not None
    out = []
    for row in race.results:
        for d in row.driver_results or [row]:
            assert d.cust_id is not None
            out.append((d.cust_id, int(row.finish_position) + 1, int(row.finish_position)))
    return out


@pytest.mark.parametrize("name", RESULT_FIXTURES)
def test_every_driver_gets_a_valid_embed_with_a_one_based_position(fixtures_dir, name):
    result = _load(name)
    drivers = _drivers(result)
    assert len(drivers) > 10
    for cust_id, position, raw in drivers:
        embed = render_result_embed(result, cust_id)
        assert f"— P{position}" in embed["title"] and position == raw + 1
        assert embed["color"] == (GREEN if position <= 3 else ORANGE if position <= 10 else RED)
        assert embed_length(embed) <= EMBED_TOTAL_MAX and len(embed["title"]) <= 256
        assert len(embed["fields"]) <= 25 and all(len(f["value"]) <= 1024 for f in embed["fields"])
        assert embed["footer"]["text"].startswith(f"Subsession {result.subsession_id} • ")
        assert embed["url"].endswith(f"subsessionid={result.subsession_id}")


def test_solo_winner_embed_shows_the_seed_fields(fixtures_dir):
    result = _load("result.json")
    race = result.main_event()
    assert race is not None
    winner = next(r for r in race.results if r.finish_position == 0)
    assert winner.cust_id is not None
    embed = render_result_embed(result, winner.cust_id)
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert embed["title"] == f"🏁 {discord_safe(winner.display_name)} — P1"
    assert fields["Best lap"] == winner.best_lap_time.format()
    assert fields["Incidents"] == str(winner.incidents)
    assert fields["SOF"] == str(result.event_strength_of_field)
    assert fields["Field"] == str(len(race.results))
    assert fields["Session"] == ("Official" if result.official_session else "Unofficial")
    assert fields["iRating"].endswith(f"({winner.newi_rating - winner.oldi_rating:+d})")


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
