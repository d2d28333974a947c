"""The simulator's random faults: a share of the requests fails, with kinds drawn from a list, repeatably."""

from __future__ import annotations

import pytest

from simlane.iracing.simulator.faults import FaultPlan

DATA_KINDS = {"500", "502", "504_html", "timeout", "ratelimit_text", "maintenance", "expired_token"}


def _draws(plan: FaultPlan, n: int) -> list[str | None]:
    out = []
    for _ in range(n):
        fault = plan.take({"429"}, "results/get") or plan.take(DATA_KINDS, "results/get")
        out.append(fault.kind if fault else None)
    return out


def test_about_the_asked_share_of_requests_fails_with_the_listed_kinds_only():
    plan = FaultPlan()
    plan.at_random(0.1, ["429", "500", "502", "maintenance"], seed=3)
    draws = _draws(plan, 20_000)
    failed = [d for d in draws if d is not None]
    assert 0.09 < len(failed) / len(draws) < 0.11
    assert set(failed) == {"429", "500", "502", "maintenance"}
    assert sum(plan.served.values()) == len(failed)


def test_the_same_seed_fails_the_same_requests():
    one, two = FaultPlan(), FaultPlan()
    one.at_random(0.2, ["500", "429"], seed=7)
    two.at_random(0.2, ["500", "429"], seed=7)
    assert _draws(one, 500) == _draws(two, 500)


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown fault kind"):
        FaultPlan().at_random(0.1, ["418"])
