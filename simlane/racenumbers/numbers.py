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
    typed = typed_digits(text)
    value = int(typed)
    if not config.min_number <= value <= config.max_number:
        raise NumberInputError(f"#{typed} is outside this server's range, {config.min_number}–{config.max_number}.")
    shown = typed if config.leading_zeros_distinct else str(value)
    return shown, number_key(typed, leading_zeros_distinct=config.leading_zeros_distinct)


MAX_POOLS = 25  # Discord offers at most 25 autocomplete choices: a 26th pool could never be picked
MAX_POOL_NAME = 50


def typed_digits(text: str) -> str:
    """The digits a member typed for a number (``#07`` → ``07``), or a clear error; no range check."""
    typed = text.strip().removeprefix("#")
    if not typed or len(typed) > 3 or not typed.isascii() or not typed.isdigit():
        raise NumberInputError("A car number is 1 to 3 digits, like `7`, `07` or `142`.")
    return typed


def pool_resolve(config: NumberConfig, pool: str | None, *, required: bool = True) -> str | None:
    """The server's spelling of a typed pool (case-insensitive), or a clear error listing the pools.

    Without a typed pool: the single pool ("") on a server without pools; on a server with pools an error when
    ``required``, else None (meaning every pool).
    """
    if not config.pools:
        if pool and pool.strip():
            raise NumberInputError("This server has a single number pool; leave the pool out.")
        return ""
    listed = ", ".join(config.pools)
    if not pool or not pool.strip():
        if required:
            raise NumberInputError(f"Pick a pool: {listed}.")
        return None
    match = next((p for p in config.pools if p.casefold() == pool.strip().casefold()), None)
    if match is None:
        raise NumberInputError(f"No pool called “{pool.strip()[:MAX_POOL_NAME]}”. Pools here: {listed}.")
    return str(match)


def pool_names_parse(text: str) -> list[str]:
    """Comma-separated pool names as the server will keep them: trimmed, duplicates that differ only in case
    dropped (``GT3, gt3`` is one pool), too many or too long refused rather than cut."""
    names: list[str] = []
    for raw in text.split(","):
        name = " ".join(raw.split())
        if not name:
            continue
        if len(name) > MAX_POOL_NAME:
            raise NumberInputError(f"Pool names are at most {MAX_POOL_NAME} characters: “{name[:60]}…” is longer.")
        if name.casefold() not in {n.casefold() for n in names}:
            names.append(name)
    if len(names) > MAX_POOLS:
        raise NumberInputError(
            f"At most {MAX_POOLS} pools (Discord can offer no more choices); you listed {len(names)}."
        )
    return names
