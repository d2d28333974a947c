"""Car numbers as text: what a member may type, and what two numbers being "the same" means in a server."""

from __future__ import annotations

from simlane.core.errors import ApplicationError

from .models import NumberConfig


class NumberInputError(ApplicationError):
    """The typed number is not a car number this server accepts."""


def number_key(number: str, *, leading_zeros_distinct: bool) -> str:
    """In iRacing "07" and "7" are different numbers; a server may choose to treat them as one."""
    return number if leading_zeros_distinct else str(int(number))


def parse_number(text: str, config: NumberConfig) -> tuple[str, str]:
    """(number as it will be shown, uniqueness key) or a clear error."""
    typed = text.strip().removeprefix("#")
    if not typed or len(typed) > 3 or not typed.isascii() or not typed.isdigit():
        raise NumberInputError("A car number is 1 to 3 digits, like `7`, `07` or `142`.")
    value = int(typed)
    if not config.min_number <= value <= config.max_number:
        raise NumberInputError(f"#{typed} is outside this server's range, {config.min_number}–{config.max_number}.")
    shown = typed if config.leading_zeros_distinct else str(value)
    return shown, number_key(typed, leading_zeros_distinct=config.leading_zeros_distinct)
