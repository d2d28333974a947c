"""Text in every script a driver's name uses: the shipped fonts, tried in order for each character.

Pillow draws with one font at a time, so a line is cut into runs, each drawn with the first font that has its
characters; matplotlib does the same itself when given the families as a list.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
from PIL import ImageDraw, ImageFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR, BOLD = FONT_DIR / "NotoSans-Regular.ttf", FONT_DIR / "NotoSans-Bold.ttf"
CJK, SYMBOLS = FONT_DIR / "NotoSansCJKjp-Subset.otf", FONT_DIR / "Symbola-Emoji.ttf"
MATPLOTLIB_FAMILIES = ["Noto Sans", "Noto Sans CJK JP", "Symbola"]
# Joiners and variation selectors shape colour emoji sequences; a monochrome font draws the parts side by side.
INVISIBLE = {0x200D, 0xFE0E, 0xFE0F}

_lock = threading.Lock()


@functools.cache
def _cmap(path: Path) -> frozenset[int]:
    font = TTFont(str(path), lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


def chain(bold: bool = False) -> tuple[Path, ...]:
    """The fonts tried for each character, first match wins."""
    return (BOLD if bold else REGULAR, CJK, SYMBOLS)


def has_glyph(path: Path, char: str) -> bool:
    return ord(char) in _cmap(path)


@functools.cache
def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size)


def runs(text: str, *, bold: bool = False) -> list[tuple[Path, str]]:
    """``text`` cut into runs of one font each (characters no font has stay with the main font: its box)."""
    fonts = chain(bold)
    out: list[tuple[Path, str]] = []
    for char in text:
        if ord(char) in INVISIBLE:
            continue
        path = next((f for f in fonts if has_glyph(f, char)), fonts[0])
        if out and out[-1][0] == path:
            out[-1] = (path, out[-1][1] + char)
        else:
            out.append((path, char))
    return out


@dataclass(frozen=True)
class Style:
    size: int
    bold: bool = False


def text_width(text: str, style: Style) -> float:
    return sum(_font(path, style.size).getlength(part) for path, part in runs(text, bold=style.bold))


def fit(text: str, style: Style, width: float) -> str:
    """``text`` cut with an ellipsis so that it fits ``width`` pixels."""
    if text_width(text, style) <= width:
        return text
    while text and text_width(text + "…", style) > width:
        text = text[:-1]
    return text + "…"


def draw_text(
    draw: ImageDraw.ImageDraw,
    xy: tuple[float, float],
    text: str,
    style: Style,
    fill: tuple[int, int, int],
    *,
    anchor_right: bool = False,
) -> float:
    """Draw ``text`` with its baseline at ``xy[1]``; returns the x where it ends (or starts, anchored right)."""
    x, y = xy
    if anchor_right:
        x -= text_width(text, style)
    start = x
    for path, part in runs(text, bold=style.bold):
        font = _font(path, style.size)
        draw.text((x, y), part, font=font, fill=fill, anchor="ls")
        x += font.getlength(part)
    return start if anchor_right else x


def use_in_matplotlib() -> None:
    """Register the fonts with matplotlib once and make them its default, so charts draw every script."""
    with _lock:
        if getattr(use_in_matplotlib, "done", False):
            return
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib import font_manager, rcParams

        for path in (REGULAR, BOLD, CJK, SYMBOLS):
            font_manager.fontManager.addfont(str(path))
        rcParams["font.family"] = MATPLOTLIB_FAMILIES
        rcParams["axes.unicode_minus"] = False
        use_in_matplotlib.done = True  # type: ignore[attr-defined]
