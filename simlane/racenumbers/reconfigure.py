"""What a new configuration does to the claims members already hold.

Narrowing the range, treating "07" and "7" as one number, or removing a pool must never strand a claim: each
affected claim is either released (its pool is gone, or another member's earlier claim is now the same number) or
kept as it is and flagged (outside the new range). ``/setup`` shows this list and applies it only when the admin
confirms it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby

from .models import NumberClaim, NumberConfig
from .numbers import number_key

RELEASE, KEEP = "release", "keep"


@dataclass(frozen=True)
class ClaimEffect:
    claim_id: int
    user_id: int
    pool: str
    number: str
    action: str  # RELEASE or KEEP
    reason: str

    def describe(self, escape: Callable[[str], str] = str) -> str:
        """One line for the admin; ``escape`` makes the pool name (typed by an admin) safe where it is shown."""
        where = f" [{escape(self.pool)}]" if self.pool else ""
        verb = "released" if self.action == RELEASE else "kept as is"
        return f"#{self.number}{where} of <@{self.user_id}>: {verb} ({self.reason})"


def in_range(number: str, config: NumberConfig) -> bool:
    return config.min_number <= int(number) <= config.max_number


def pool_after(pool: str, config: NumberConfig) -> str | None:
    """The claim's pool under the new configuration (same name in any case), or None if it no longer exists."""
    if not config.pools:
        return "" if pool == "" else None
    return next((p for p in config.pools if p.casefold() == pool.casefold()), None)


def claim_effects(config: NumberConfig, claims: list[NumberClaim]) -> list[ClaimEffect]:
    """Every active claim the configuration ``config`` (not yet saved) would change, oldest claim first."""
    effects: list[ClaimEffect] = []
    staying: list[tuple[str, str, NumberClaim]] = []
    for claim in sorted(claims, key=lambda c: (c.created_at, c.id)):
        new_pool = pool_after(claim.pool, config)
        if new_pool is None:
            reason = "its pool was removed" if claim.pool else "the server now has named pools"
            effects.append(_effect(claim, RELEASE, reason))
            continue
        key = number_key(claim.number, leading_zeros_distinct=config.leading_zeros_distinct)
        staying.append((new_pool, key, claim))
    staying.sort(key=lambda t: (t[0], t[1]))
    for _group, same in groupby(staying, key=lambda t: (t[0], t[1])):
        first, *later = sorted((t[2] for t in same), key=lambda c: (c.created_at, c.id))
        for claim in later:
            reason = f"#{first.number} and #{claim.number} become the same number; <@{first.discord_user_id}> was first"
            effects.append(_effect(claim, RELEASE, reason))
        if not in_range(first.number, config):
            reason = f"outside {config.min_number}–{config.max_number}, flagged in the roster"
            effects.append(_effect(first, KEEP, reason))
    return sorted(effects, key=lambda e: (e.action, e.pool, e.number))


def _effect(claim: NumberClaim, action: str, reason: str) -> ClaimEffect:
    return ClaimEffect(claim.id, claim.discord_user_id, claim.pool, claim.number, action, reason)
