"""Ids typed by members (iRacing customer ids, series ids): one parser, so every command accepts the same input.

Only ASCII digits count. ``str.isdigit()`` also accepts superscripts (``²``), Arabic-Indic (``١``) and full-width
(``５``) digits, which ``int()`` or iRacing then reject: such input is refused here with a clear message instead.
"""

from __future__ import annotations

import re

from simlane.core.errors import ApplicationError

# iRacing ids are far shorter; 18 digits always fit the database's 64-bit integers.
MAX_ID_DIGITS = 18
_ID = re.compile(rf"[0-9]{{1,{MAX_ID_DIGITS}}}")
_SEPARATORS = re.compile(r"[\s,;]+")


class IdInputError(ApplicationError):
    """What the member typed is not an id (or not a list of ids)."""


def typed_id(text: str) -> int | None:
    """The id in ``text`` if it is one (ASCII digits only, surrounding spaces allowed), else None."""
    term = text.strip()
    return int(term) if _ID.fullmatch(term) else None


def refuse_lookalike_digits(text: str) -> None:
    """Refuse text made only of digits that are not 0–9 ("12²", "１２"), where a name or an id is asked for: it
    means an id, and iRacing would search it as a name or reject it."""
    term = text.strip()
    if term.isdigit() and typed_id(term) is None:
        raise IdInputError(
            f"“{term[:40]}” is not an id: ids use the digits 0–9 only (no superscript, full-width or other digits)."
        )


def require_id(text: str, *, hint: str) -> int:
    """The id in ``text``; otherwise a private error that says what to type (``hint``)."""
    value = typed_id(text)
    if value is None:
        raise IdInputError(hint)
    return value


def require_ids(text: str, *, hint: str, limit: int = 25) -> list[int]:
    """One or several ids separated by spaces or commas, each at most once, in the order typed."""
    parts = [p for p in _SEPARATORS.split(text.strip()) if p]
    if not parts:
        raise IdInputError(hint)
    values = [typed_id(p) for p in parts]
    if any(v is None for v in values):
        raise IdInputError(hint)
    unique = list(dict.fromkeys(v for v in values if v is not None))
    if len(unique) > limit:
        raise IdInputError(f"Give at most {limit} ids at once. Nothing was changed.")
    return unique
