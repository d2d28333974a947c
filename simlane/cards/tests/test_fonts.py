"""Every script a driver's name uses, and typographic punctuation, draw as real glyphs (not the empty box)."""

from __future__ import annotations

import io
import warnings

import pytest
from PIL import Image, ImageChops, ImageDraw

from simlane.cards.charts import forecast_png
from simlane.cards.fonts import FONT_DIR, Style, draw_text

MISSING = "\ue000"  # private use: no shipped font has it, so it draws the main font's empty box
SAMPLES = {
    "em dash": "—",
    "accents": "é",
    "cyrillic": "Ж",
    "greek": "Ω",
    "chinese": "赛",
    "japanese": "レ",
    "korean": "한",
    "emoji": "🏁",
    "quotes": "“",
}


def _draw(text: str) -> Image.Image:
    img = Image.new("RGB", (120, 120), (0, 0, 0))
    draw_text(ImageDraw.Draw(img), (20, 90), text, Style(64), (255, 255, 255))
    return img


@pytest.mark.parametrize("char", SAMPLES.values(), ids=SAMPLES.keys())
def test_each_script_draws_a_glyph_not_the_box(char: str) -> None:
    drawn, box = _draw(char), _draw(MISSING)
    assert drawn.getbbox() is not None and box.getbbox() is not None, "nothing drawn"
    assert ImageChops.difference(drawn, box).getbbox() is not None, f"{char!r} drew the missing-glyph box"


def test_fonts_ship_with_their_licences() -> None:
    names = {p.name for p in FONT_DIR.iterdir()}
    assert {"OFL.txt", "LICENSE-Symbola.txt", "NotoSans-Regular.ttf", "NotoSansCJKjp-Subset.otf"} <= names
    assert sum(p.stat().st_size for p in FONT_DIR.iterdir()) < 5 * 1024 * 1024


def test_forecast_title_em_dash_and_names_have_glyphs() -> None:
    points = [{"time_offset": m, "air_temp": 1800 + m, "precip_chance": m * 10} for m in range(0, 120, 15)]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = forecast_png(points, title="GT3 Challenge — Circuit de Spa-Francorchamps · Ñürburgring · 鈴鹿 🏁")
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert missing == []
    assert png is not None and Image.open(io.BytesIO(png)).size == (800, 320)
