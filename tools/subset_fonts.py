"""Rebuild simlane/cards/fonts from Debian's font packages (run once by hand; needs fontTools, which matplotlib
brings): ``apt-get download fonts-noto-core fonts-noto-cjk fonts-symbola``, ``dpkg-deb -x`` each into DIR, then
``.venv/bin/python tools/subset_fonts.py DIR``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset  # type: ignore[import-untyped]
from fontTools.ttLib import TTCollection, TTFont  # type: ignore[import-untyped]

OUT = Path(__file__).resolve().parent.parent / "simlane" / "cards" / "fonts"


def _charset(codec: str, first_row: int, last_row: int) -> set[int]:
    """Every character of a double-byte national charset between two lead bytes (rows)."""
    out: set[int] = set()
    for row in range(first_row, last_row + 1):
        for cell in range(0xA1, 0xFF):
            try:
                out.update(ord(ch) for ch in bytes([row, cell]).decode(codec))
            except UnicodeDecodeError:
                continue
    return out


def _subset(font: TTFont, unicodes: set[int], out: Path, *, layout: bool = True) -> None:
    options = subset.Options()
    options.layout_features = ["*"] if layout else []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    font.save(str(out))


def main(root: Path) -> None:
    noto = root / "usr/share/fonts/truetype/noto"
    latin = set(range(0x20, 0x530)) | set(range(0x1E00, 0x2190))
    for weight in ("Regular", "Bold"):
        _subset(TTFont(str(noto / f"NotoSans-{weight}.ttf")), latin, OUT / f"NotoSans-{weight}.ttf")
    cjk = _charset("gb2312", 0xA1, 0xD7) | _charset("euc_jp", 0xA1, 0xCF) | _charset("euc_kr", 0xA1, 0xC8)
    cjk |= set(range(0x3000, 0x3100)) | set(range(0x3130, 0x3190)) | set(range(0xFF00, 0xFFF0))
    collection = TTCollection(str(root / "usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"))
    _subset(collection.fonts[0], cjk, OUT / "NotoSansCJKjp-Subset.otf")
    symbols = set(range(0x2190, 0x2200)) | set(range(0x2600, 0x27C0)) | set(range(0x2B00, 0x2C00))
    symbols |= set(range(0x1F100, 0x1FB00))
    symbola = TTFont(str(root / "usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf"))
    _subset(symbola, symbols, OUT / "Symbola-Emoji.ttf", layout=False)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
