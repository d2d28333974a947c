"""Golden images: each card is compared with a committed PNG, pixel by pixel, within a small tolerance (font
rasterisation differs a little between FreeType builds). After an intended change of the layout, regenerate them
with ``SIMLANE_UPDATE_GOLDENS=1 .venv/bin/pytest simlane/cards/tests/test_golden.py`` and look at them."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from simlane.cards.card import Teammate
from simlane.cards.render import card_png
from simlane.cards.samples import MULTICLASS, SOLO, TEAM, Sample, recorded, renamed, simulated

GOLDENS = Path(__file__).resolve().parent / "goldens"
UPDATE = os.environ.get("SIMLANE_UPDATE_GOLDENS") == "1"
# Mean difference per channel (0-255) allowed over the whole picture, and the share of pixels that may differ by
# more than a faint anti-aliasing shade: a moved or missing block of text is far above both.
MEAN_TOLERANCE, CHANGED_PIXELS_TOLERANCE = 1.5, 0.01
LONG_NAME = "Александр Ωmega 山田太郎 김민준 🏁 Very-Long-Surname-Racing-Team-Extraordinaire"

CASES: dict[str, Callable[[], Sample]] = {
    "recorded-solo": lambda: recorded("result"),
    "recorded-team-multiclass": lambda: recorded("result_with_team"),
    "simulated-solo": lambda: simulated(SOLO),
    "simulated-multiclass": lambda: simulated(MULTICLASS),
    "simulated-team": lambda: simulated(TEAM),
    "long-non-latin-name": lambda: renamed(simulated(SOLO), LONG_NAME),
}


def _compare(name: str, png: bytes) -> None:
    path = GOLDENS / f"{name}.png"
    if UPDATE:
        path.write_bytes(png)
        return
    assert path.exists(), f"no golden {path.name}: regenerate with SIMLANE_UPDATE_GOLDENS=1"
    with Image.open(io.BytesIO(png)) as got, Image.open(path) as want:
        assert got.size == want.size, f"{name}: {got.size} != golden {want.size}"
        diff = ImageChops.difference(got.convert("RGB"), want.convert("RGB"))
        mean = sum(ImageStat.Stat(diff).mean) / 3
        strong = diff.convert("L").point(lambda v: 255 if v > 48 else 0)
        changed = ImageStat.Stat(strong).mean[0] / 255
    assert mean <= MEAN_TOLERANCE and changed <= CHANGED_PIXELS_TOLERANCE, (
        f"{name}: mean difference {mean:.2f}, {changed:.2%} of pixels changed"
    )


@pytest.mark.parametrize("name", CASES)
def test_card_matches_its_golden_image(name: str) -> None:
    sample = CASES[name]()
    others = [Teammate("Алексей Иванов", 9), Teammate("Zoë O’Brien", 12)] if name == "recorded-solo" else []
    _compare(name, card_png(sample.result, sample.cust_id, rows=sample.rows, others=others))


def test_light_theme_matches_its_golden_image() -> None:
    sample = recorded("result")
    _compare("recorded-solo-light", card_png(sample.result, sample.cust_id, rows=sample.rows, theme="light"))


def test_the_comparison_catches_a_changed_card() -> None:
    """A card with a different driver is not within tolerance of the golden (the check can fail)."""
    if UPDATE:
        pytest.skip("regenerating")
    sample = recorded("result", position=10)
    with pytest.raises(AssertionError, match=r"mean difference|golden"):
        _compare("recorded-solo", card_png(sample.result, sample.cust_id, rows=sample.rows))
