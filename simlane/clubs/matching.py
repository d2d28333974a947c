"""Reading an iRacing name out of a Discord nickname, and deciding what a nickname matches (pure: no I/O).

A nickname like ``[ABC] José Núñez #23 🏎️`` or ``ABC | jose nunez`` carries the name ``José Núñez``; names are
compared folded (case, accents, punctuation and markdown ignored), so ``Jürgen Müller`` and ``JURGEN MULLER``
are one name. A nickname matches a driver only when a whole part of it is the driver's whole name: no partial or
fuzzy matches, so a proposal is wrong only when two people truly share a name, and then the matcher sees several
drivers and lists a conflict instead of guessing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# Letters NFKD does not split into a base letter and an accent.
_LETTERS = str.maketrans(
    {"ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe"}
    | {"Œ": "oe", "þ": "th", "Þ": "th", "ı": "i", "ð": "d", "Ð": "d"}
)
_BRACKETED = re.compile(r"\[[^\]]*\]|\([^)]*\)|\{[^}]*\}|【[^】]*】|「[^」]*」|<[^>]*>")
# What separates a team or role from the name: "ABC | Name", "Name - ABC", "Name // Team", "Name • ABC".
_SEPARATORS = re.compile(r"\s*(?:\||｜|//|/|\s[-–—]\s|•|·|:|\u2503|\u2502)\s*")
_MENTIONS = re.compile(r"@(everyone|here)\b", re.IGNORECASE)
_NUMBERS = re.compile(r"#\s*\d+|\b\d+\b")
_APOSTROPHES = re.compile(r"['’`´]")
# Decorations around a gamer's name: "xX Name Xx".
_AFFIXES = re.compile(r"^(?:x+\s+)+|(?:\s+x+)+$", re.IGNORECASE)


def fold(text: str) -> str:
    """A name as compared: casefolded, accents and apostrophes dropped, anything but letters and digits a space."""
    text = unicodedata.normalize("NFKC", text).translate(_LETTERS)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = _APOSTROPHES.sub("", text.casefold())
    return " ".join("".join(c if c.isalnum() else " " for c in text).replace("_", " ").split())


_SPOILERS = re.compile(r"\|\|.*?\|\|")


def name_key(display_name: str) -> str:
    """The folded form of an iRacing display name (markdown, spoilers, emoji and mentions in it ignored)."""
    return fold(_MENTIONS.sub(" ", _BRACKETED.sub(" ", _SPOILERS.sub(" ", display_name))))


def _clean(part: str) -> str:
    """One part of a nickname with numbers, mentions, emoji and symbols removed, accents kept (for searching)."""
    part = _NUMBERS.sub(" ", _MENTIONS.sub(" ", part)).replace("’", "'")  # iRacing names use the ASCII apostrophe
    kept = "".join(c if (c.isalpha() or c in " '-.") else " " for c in part)
    return _AFFIXES.sub("", " ".join(kept.replace(".", " ").split())).strip(" -'")


def name_parts(nickname: str) -> list[str]:
    """The parts of a nickname that may be a whole name, longest first, as typed (for lookups; fold to compare).

    Bracketed tags and separated team names are dropped; a part needs at least two words, so a first name or a
    gamer tag alone is never taken for a name.
    """
    text = unicodedata.normalize("NFKC", nickname)
    text = _BRACKETED.sub(" ", text)
    parts: list[str] = []
    for raw in _SEPARATORS.split(text):
        part = _clean(raw)
        if len(fold(part).split()) >= 2 and part not in parts:
            parts.append(part)
    return sorted(parts, key=lambda p: -len(fold(p)))


@dataclass(frozen=True)
class Candidate:
    cust_id: int
    display_name: str
    source: str  # "roster" or "lookup"


@dataclass(frozen=True)
class Outcome:
    """What one nickname matched: one candidate (a proposal), several (a conflict), or none."""

    candidates: tuple[Candidate, ...]

    @property
    def proposal(self) -> Candidate | None:
        return self.candidates[0] if len(self.candidates) == 1 else None

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


NO_MATCH = Outcome(())


def match(nickname: str, drivers: Iterable[Candidate]) -> Outcome:
    """The drivers whose whole name is a whole part of ``nickname`` (folded), one per account."""
    keys = {fold(p) for p in name_parts(nickname)}
    if not keys:
        return NO_MATCH
    found: dict[int, Candidate] = {}
    for driver in drivers:
        if driver.cust_id not in found and name_key(driver.display_name) in keys:
            found[driver.cust_id] = driver
    return Outcome(tuple(sorted(found.values(), key=lambda c: c.cust_id)))
