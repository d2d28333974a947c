"""``simlane results render --png``: an admin draws a card from saved payloads."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from PIL import Image

from simlane.cards.samples import recorded
from simlane.iracing.simulator.replay import RECORDED_DIR


def test_render_writes_the_card_with_charts_from_saved_payloads(tmp_path: Path) -> None:
    cust_id = recorded("result").cust_id
    with_laps, without = tmp_path / "card.png", tmp_path / "plain.png"
    err = io.StringIO()
    base = ["results", "render", "--file", str(RECORDED_DIR / "result.json"), "--cust-id", str(cust_id)]
    call_command(*base, "--png", str(with_laps), "--laps", str(RECORDED_DIR / "result_lap_chart_data.json"), stderr=err)
    call_command(*base, "--png", str(without), stdout=io.StringIO())
    assert f"Race card: {with_laps}" in err.getvalue()
    with Image.open(with_laps) as charts, Image.open(without) as plain:
        assert charts.width == plain.width == 1000
        assert charts.height > plain.height + 500  # the two charts


def test_render_refuses_a_lap_file_that_is_not_a_lap_chart(tmp_path: Path) -> None:
    out = tmp_path / "card.png"
    with pytest.raises(CommandError, match="is not a lap chart"):
        call_command(
            "results",
            "render",
            "--file",
            str(RECORDED_DIR / "result.json"),
            "--cust-id",
            str(recorded("result").cust_id),
            "--png",
            str(out),
            "--laps",
            str(RECORDED_DIR / "member_info.json"),
            stdout=io.StringIO(),
        )
    assert not out.exists()
