"""A result embed stays within Discord's limits however long the names are, and never loses its facts: names
are cut, the position, class position and the numbers are not."""

from __future__ import annotations

import copy
from typing import Any

from simlane.iracing.client.models import SubsessionResult
from simlane.results.embeds import (
    DESCRIPTION_MAX,
    EMBED_TOTAL_MAX,
    FIELD_NAME_MAX,
    FIELD_VALUE_MAX,
    FOOTER_MAX,
    TITLE_MAX,
    embed_length,
    render_result_embed,
)
from simlane.results.samples import sample_result

LONG = "Ünïcødé *bold* _name_ " * 40  # 880 characters, longer still once its markdown is escaped


def long_named(class_position: int | None) -> tuple[SubsessionResult, int]:
    """The sample race with every name far too long; with ``class_position``, a second class makes it multi-class."""
    result, cust_id = sample_result()
    raw = copy.deepcopy(result.model_dump(mode="json"))
    raw["series_name"] = raw["league_name"] = LONG
    raw["track"]["track_name"] = raw["track"]["config_name"] = LONG
    own_class = raw["car_classes"][0]
    own_class.update(short_name=LONG, strength_of_field=2345)
    if class_position is not None:
        raw["car_classes"].append({**own_class, "car_class_id": own_class["car_class_id"] + 1})
    for session in raw["session_results"]:
        for row in session["results"]:
            row["car_name"] = LONG
            if row["cust_id"] == cust_id:
                row["display_name"] = LONG
                if class_position is not None:
                    row["finish_position_in_class"] = class_position - 1  # results/get positions are 0-based
    return SubsessionResult.model_validate(raw), cust_id


def assert_within_limits(embed: dict[str, Any]) -> None:
    assert len(embed["title"]) <= TITLE_MAX and len(embed["description"]) <= DESCRIPTION_MAX
    assert all(len(f["name"]) <= FIELD_NAME_MAX and len(f["value"]) <= FIELD_VALUE_MAX for f in embed["fields"])
    assert len(embed["footer"]["text"]) <= FOOTER_MAX and embed_length(embed) <= EMBED_TOTAL_MAX


def test_a_long_name_is_cut_and_the_position_stays():
    result, cust_id = long_named(class_position=None)
    embed = render_result_embed(result, cust_id)
    assert_within_limits(embed)
    assert embed["title"].startswith("🏁 Ünïcødé \\*bold\\* \\_name\\_")
    assert embed["title"].endswith("… — P4")


def test_a_long_name_in_a_multiclass_race_keeps_both_positions_and_every_fact():
    result, cust_id = long_named(class_position=2)
    embed = render_result_embed(result, cust_id)
    assert_within_limits(embed)
    assert embed["title"].endswith("… — P4 (Class P2)")
    names = [f["name"] for f in embed["fields"]]
    for fact in ("Field", "Laps", "Incidents", "SOF", "Best lap", "Session"):
        assert fact in names
    class_sof = next(f for f in embed["fields"] if f["name"].endswith(" SOF") and f["name"] != "SOF")
    assert class_sof["value"] == "2345" and class_sof["name"].endswith("… SOF")
    # Every line of the description is still there, each name cut on its own.
    assert [line.split("** ")[0] for line in embed["description"].splitlines()] == [
        "**Series",
        "**Track",
        "**Car",
        "**League",
    ]
    assert embed["footer"]["text"].startswith(f"Subsession {result.subsession_id} • ")
