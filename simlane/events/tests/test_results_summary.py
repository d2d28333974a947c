"""The event's results post: finishing order by class, teams with their drivers, club members marked, escaped, and
within Discord's limits however large the field."""

from __future__ import annotations

from typing import Any

from simlane.events.results_summary import results_summary_embed
from simlane.iracing.client.models import SubsessionResult
from simlane.results.embeds import EMBED_TOTAL_MAX, FIELD_VALUE_MAX, embed_length

GT3, GT4 = 2708, 4029


def row(cust: int, name: str, pos: int, cls_pos: int, cls: int, *, laps: int = 20, gap: int = 0) -> dict[str, Any]:
    # results/get positions are 0-based; intervals are 1/10000 s
    return {
        "cust_id": cust,
        "display_name": name,
        "finish_position": pos - 1,
        "finish_position_in_class": cls_pos - 1,
        "laps_complete": laps,
        "class_interval": gap,
        "car_class_id": cls,
        "reason_out": "Running",
    }


def team(team_id: int, name: str, pos: int, cls: int, drivers: list[tuple[int, str]], gap: int = 0) -> dict[str, Any]:
    return {
        "team_id": team_id,
        "display_name": name,
        "finish_position": pos - 1,
        "finish_position_in_class": pos - 1,
        "laps_complete": 100,
        "class_interval": gap,
        "car_class_id": cls,
        "driver_results": [{"cust_id": c, "display_name": n, "team_id": team_id} for c, n in drivers],
    }


def result(rows: list[dict[str, Any]], classes: list[tuple[int, str]]) -> SubsessionResult:
    return SubsessionResult.model_validate(
        {
            "subsession_id": 777,
            "start_time": "2026-03-07T19:00:00Z",
            "league_name": "Demo League",
            "track": {"track_id": 1, "track_name": "Spa"},
            "car_classes": [{"car_class_id": c, "short_name": n} for c, n in classes],
            "session_results": [{"simsession_number": 0, "results": rows}],
        }
    )


def test_finishing_order_per_class_with_club_members_marked() -> None:
    race = result(
        [
            row(1, "Ann Fast", 1, 1, GT3),
            row(2, "Bob Club", 2, 2, GT3, gap=15_000),
            row(3, "Cat Slow", 3, 1, GT4),
            row(4, "Dan Club", 4, 2, GT4, laps=19),
        ],
        [(GT3, "GT3"), (GT4, "GT4")],
    )
    embed = results_summary_embed(race, event_title="Sunday Cup", club_drivers={2: "Bob", 4: "Dan"})
    assert embed["title"] == "🏁 Results: Sunday Cup"
    assert [f["name"] for f in embed["fields"]] == ["GT3 — 2 cars", "GT4 — 2 cars"]
    assert embed["fields"][0]["value"] == "`P1 ` Ann Fast\n`P2 ` **★ Bob Club** +1.500s"
    assert embed["fields"][1]["value"] == "`P1 ` Cat Slow\n`P2 ` **★ Dan Club** +1 lap"
    assert "club's drivers (2 cars)" in embed["description"]


def test_team_standings_list_each_teams_drivers_and_mark_the_club_members() -> None:
    race = result(
        [
            team(-1, "Rivals", 1, GT3, [(10, "Rex"), (11, "Rio")]),
            team(-2, "Our *Team*", 2, GT3, [(20, "Sam"), (21, "Tia")], gap=42_000),
        ],
        [(GT3, "GT3")],
    )
    embed = results_summary_embed(race, event_title="6h", club_drivers={21: "Tia"})
    assert embed["fields"][0]["name"] == "GT3 — 2 teams"
    assert embed["fields"][0]["value"] == "`P1 ` Rivals — Rex, Rio\n`P2 ` Our \\*Team\\* — Sam, **★ Tia** +4.200s"


def test_a_huge_field_stays_within_limits_and_keeps_every_club_members_row() -> None:
    rows = [row(i, f"Driver {'_x' * 10} {i}", i, i, GT3 if i % 2 else GT4) for i in range(1, 121)]
    # class positions per class: renumber so each class counts from 1
    for cls in (GT3, GT4):
        for n, r in enumerate(r for r in rows if r["car_class_id"] == cls):
            r["finish_position_in_class"] = n
    race = result(rows, [(GT3, "GT3"), (GT4, "GT4")])
    club = {101: "a", 118: "b", 57: "c"}
    embed = results_summary_embed(race, event_title="@everyone " * 40, club_drivers=club)
    assert embed_length(embed) <= EMBED_TOTAL_MAX
    assert all(len(f["value"]) <= FIELD_VALUE_MAX for f in embed["fields"])
    text = "\n".join(f["value"] for f in embed["fields"])
    escaped = "\\_x" * 10
    for cust in club:
        assert f"**★ Driver {escaped} {cust}**" in text
    assert "`P1 ` Driver" in embed["fields"][0]["value"]  # the top of each class stays too
    assert "more" in embed["fields"][0]["value"]
    assert "@everyone" not in embed["title"]
