"""Card colours: an opaque card reads the same on Discord's dark and light backgrounds; two palettes all the same."""

from __future__ import annotations

from dataclasses import dataclass

RGB = tuple[int, int, int]


def _hex(c: RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*c)


@dataclass(frozen=True)
class Theme:
    name: str
    background: RGB
    panel: RGB
    grid: RGB
    text: RGB
    muted: RGB
    accent: RGB
    good: RGB
    bad: RGB

    @property
    def panel_hex(self) -> str:
        return _hex(self.panel)

    @property
    def grid_hex(self) -> str:
        return _hex(self.grid)

    @property
    def text_hex(self) -> str:
        return _hex(self.text)

    @property
    def muted_hex(self) -> str:
        return _hex(self.muted)


DARK = Theme(
    "dark",
    background=(24, 26, 32),
    panel=(36, 39, 47),
    grid=(62, 66, 77),
    text=(240, 241, 245),
    muted=(165, 170, 182),
    accent=(245, 197, 66),
    good=(76, 209, 120),
    bad=(255, 107, 94),
)
LIGHT = Theme(
    "light",
    background=(246, 247, 250),
    panel=(255, 255, 255),
    grid=(214, 218, 226),
    text=(22, 24, 29),
    muted=(88, 94, 108),
    accent=(196, 135, 0),
    good=(22, 138, 64),
    bad=(200, 45, 35),
)
THEMES = {"dark": DARK, "light": LIGHT}


def theme_for(name: str) -> Theme:
    return THEMES.get(name, DARK)


# iRacing's licence classes by ``license_level`` (1–4 R, 5–8 D, 9–12 C, 13–16 B, 17–20 A, above: Pro) and colours.
LICENCES: list[tuple[str, RGB]] = [
    ("R", (225, 37, 27)),
    ("D", (255, 128, 0)),
    ("C", (230, 184, 0)),
    ("B", (0, 170, 2)),
    ("A", (1, 83, 219)),
    ("P", (40, 40, 40)),
]


def licence(level: int) -> tuple[str, RGB] | None:
    """The licence letter and colour of a ``license_level``, or None when iRacing sent none."""
    if level < 1:
        return None
    return LICENCES[min((level - 1) // 4, len(LICENCES) - 1)]
