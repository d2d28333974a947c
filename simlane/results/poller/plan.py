"""The poller's budget plan: what its schedule costs a minute against what the accounts allow, said out loud.

When the schedule needs more Data API calls than the budget, every driver's checks (ratings sweeps, fallback and
hosted/league searches) are stretched by the same factor: detection slows evenly for everyone, nobody is starved,
and the shortfall is reported and logged.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from .policy import PollPolicy

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Plan:
    need_per_minute: float
    budget_per_minute: float

    @property
    def stretch(self) -> float:
        """How much longer than the policy's every gap becomes (1.0: the budget covers the schedule)."""
        return max(1.0, self.need_per_minute / max(self.budget_per_minute, 1e-9))

    @property
    def shortfall(self) -> float:
        return max(0.0, self.need_per_minute - self.budget_per_minute)


def _per_minute(gap: timedelta) -> float:
    return 60.0 / max(gap.total_seconds(), 1.0)


def make_plan(
    *,
    now: datetime,
    last_races: dict[int, datetime | None],
    searchers: set[int],
    changes_per_minute: float,
    policy: PollPolicy,
    accounts: int = 1,
    event_sweeps_per_minute: float = 0.0,
    small_sessions_per_minute: float = 0.0,
) -> Plan:
    """Calls a minute the schedule needs for these drivers (``last_races``: each one's newest race seen).

    ``event_sweeps_per_minute``: the ratings reads after sessions of the drivers' known series end;
    ``small_sessions_per_minute``: sessions too small to be official, each listed and its race fetched.
    """
    share = 1 / max(1, policy.ratings_batch)
    need = event_sweeps_per_minute
    # Per tier (active, recent, dormant): the sweep's share and the search gap, each a minute. Added one driver at a
    # time in the same order as ever (the sum is the same to the last bit); only the arithmetic per driver is gone.
    sweeps = [share * _per_minute(g) for g in (policy.sweep_active, policy.sweep_recent, policy.sweep_dormant)]
    capped = [2 * _per_minute(g) for g in (policy.active_max, policy.recent_max, policy.dormant_max)]
    fallback = [_per_minute(g) for g in (policy.fallback_active, policy.fallback_recent, policy.fallback_dormant)]
    # ``policy.is_active`` and "raced within the recent window", as comparisons with two fixed instants.
    active_since, recent_since = now - policy.active_window, now - policy.recent_window
    for cust_id, last in last_races.items():
        tier = 2 if last is None else 0 if last >= active_since else 1 if last >= recent_since else 2
        need += sweeps[tier]
        need += capped[tier] if cust_id in searchers else fallback[tier]
    need += 2 * small_sessions_per_minute
    need += 2 * changes_per_minute  # a search and at most one results/get for each driver whose ratings moved
    return Plan(need_per_minute=need, budget_per_minute=policy.budget_per_minute * accounts)


def warn_if_short(plan: Plan, drivers: int) -> None:
    if plan.shortfall > 0:
        logger.warning(
            "results poller: %d drivers need %.2f Data API calls a minute but the budget is %.2f (short by %.2f): "
            "every driver's checks are %.2f times further apart; add an iRacing account or track fewer drivers",
            drivers,
            plan.need_per_minute,
            plan.budget_per_minute,
            plan.shortfall,
            plan.stretch,
        )
