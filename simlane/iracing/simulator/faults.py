"""Fault injection: what the simulator does wrong, on purpose, and how often.

A fault is ``kind`` applied to the next ``count`` matching requests (``endpoint`` is a prefix such as
``results/`` or ``""`` for all). Kinds:

``500`` / ``502``          a JSON 5xx on /data
``504_html``               CloudFront's HTML "The request could not be satisfied" page
``timeout``                hold the request unanswered until :meth:`Simulator.release_held` (or ``stop()``), so
                           the client's own timeout always fires first, however slow the machine
``expired_link``           the next download of a link answers S3's 403 "Request has expired"
``ratelimit_text``         200 with the plain-text body "Rate limit exceeded"
``429``                    a real 429 with the rate-limit headers
``maintenance``            503 {"error": "Site Maintenance"} (``count`` requests, or until cleared)
``expired_token``          401 {"error": "Unauthorized"}: the access token is revoked server-side
``token_rate_limit``       the token endpoint answers 400 unauthorized_client + Retry-After

Besides faults queued by count, :meth:`FaultPlan.at_random` makes a share of all requests fail, each with a kind
drawn from a list (the chaos benchmark's "10 % of requests fail"); the draw is seeded, so a run repeats.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass

KINDS = {
    "500",
    "502",
    "504_html",
    "timeout",
    "expired_link",
    "ratelimit_text",
    "429",
    "maintenance",
    "expired_token",
    "token_rate_limit",
}


@dataclass
class Fault:
    kind: str
    count: int = 1
    endpoint: str = ""
    retry_after: int = 2

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; choose from {sorted(KINDS)}")


class FaultPlan:
    """The faults still to be served, consumed in order."""

    def __init__(self) -> None:
        self.faults: list[Fault] = []
        self.served: dict[str, int] = {}
        self.random_rate = 0.0
        self.random_kinds: tuple[str, ...] = ()
        self._rng = random.Random(0)

    def at_random(self, rate: float, kinds: Iterable[str], *, seed: int = 0) -> None:
        """Fail ``rate`` (0–1) of the requests each kind applies to, with a kind drawn from ``kinds``."""
        self.random_kinds = tuple(kinds)
        for kind in self.random_kinds:
            Fault(kind)  # refuses an unknown kind
        self.random_rate, self._rng = rate, random.Random(seed)

    def add(self, kind: str, count: int = 1, endpoint: str = "", **extra: int) -> None:
        self.faults.append(Fault(kind, count, endpoint, **extra))

    def clear(self) -> None:
        self.faults.clear()

    def take(self, kinds: set[str], endpoint: str) -> Fault | None:
        """Consume and return the first pending fault of one of ``kinds`` that applies to ``endpoint``."""
        for fault in self.faults:
            if fault.kind in kinds and endpoint.startswith(fault.endpoint) and fault.count > 0:
                fault.count -= 1
                self.served[fault.kind] = self.served.get(fault.kind, 0) + 1
                if fault.count == 0:
                    self.faults.remove(fault)
                return fault
        applicable = [k for k in self.random_kinds if k in kinds]
        if applicable and self._rng.random() < self.random_rate * len(applicable) / len(self.random_kinds):
            # Each request meets each check once, so spreading the rate over the kinds keeps the total at ``rate``.
            kind = self._rng.choice(applicable)
            self.served[kind] = self.served.get(kind, 0) + 1
            return Fault(kind)
        return None
