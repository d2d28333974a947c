"""Change detection (strategy F): who raced, for the price of one ``member/get`` per batch of drivers.

Every official race moves a driver's iRating, safety rating or licence, and
``member/get?cust_ids=…&include_licenses=true`` shows them for many drivers in one call. A driver whose ratings
changed since their last search has finished a race: only they are searched. Unofficial, hosted, league and
practice sessions move no rating: small sessions are listed from the race guide, and drivers followed for hosted or
league races keep their search schedule (policy.py).
"""

from __future__ import annotations

import asyncio
import heapq
import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from simlane.iracing.client import IRacingClient, IRacingError, MaintenanceError
from simlane.iracing.client.models.members import Member

from .policy import PollPolicy

logger = logging.getLogger(__name__)


def fingerprint(member: Member) -> str:
    """The ratings that move when a race finishes, per category, as one comparable string."""
    return ";".join(
        f"{lic.category_id}:{lic.license_level}:{lic.safety_rating}:{lic.irating}"
        for lic in sorted(member.licenses, key=lambda x: x.category_id or 0)
    )


def account_of(cust_id: int, accounts: int) -> int:
    """Which of the configured iRacing accounts watches and searches this driver (stable, spread evenly)."""
    return (cust_id * 2654435761 % 2**32) * accounts // 2**32


class RatingsWatch:
    """Sweeps the tracked drivers' ratings in batches when each is due (``schedule``) and remembers what it saw.

    With several accounts, each driver's batch goes to their own account (``account_of``), so every account
    spends its own rate budget on its share of the drivers.
    """

    def __init__(self, clients: Sequence[IRacingClient], policy: PollPolicy, *, concurrency: int = 4) -> None:
        self.clients = list(clients)
        self.policy = policy
        self.concurrency = concurrency
        self.seen: dict[int, str] = {}  # cust_id -> ratings at the newest sweep
        self._next_sweep: dict[int, float] = {}
        self.calls = 0

    def snapshot(self) -> dict[str, Any]:
        """What the watch remembers between cycles, as JSON (another process can carry on from it)."""
        return {
            "sweeps": {str(c): t for c, t in self._next_sweep.items()},
            "seen": {str(c): v for c, v in self.seen.items()},
        }

    def restore(self, snapshot: Mapping[str, Any]) -> None:
        """Carry on from a snapshot taken by :meth:`snapshot`, in this process or another."""
        self._next_sweep = {int(c): float(t) for c, t in snapshot.get("sweeps", {}).items()}
        self.seen = {int(c): str(v) for c, v in snapshot.get("seen", {}).items()}

    def schedule(self, cust_id: int, at: datetime, *, sooner_only: bool = False) -> None:
        """When this driver's ratings are read next (``sooner_only``: unless they are already read earlier)."""
        t = at.timestamp()
        if sooner_only and self._next_sweep.get(cust_id, t) < t:
            return
        self._next_sweep[cust_id] = t

    def due(self, cust_ids: Iterable[int], now: datetime) -> list[int]:
        """The drivers due a sweep, each account's share topped up to whole batches with those due soonest.

        A ``member/get`` costs one call for one id or for a full batch: the free room reads drivers a little early.
        """
        t = now.timestamp()
        size = max(1, self.policy.ratings_batch)
        accounts = len(self.clients)
        due: list[int] = []
        for account in range(accounts):
            mine = [c for c in cust_ids if account_of(c, accounts) == account] if accounts > 1 else list(cust_ids)
            ready = [c for c in mine if self._next_sweep.get(c, float("-inf")) <= t]
            room = -len(ready) % size
            if ready and room:
                later = (c for c in mine if self._next_sweep.get(c, float("-inf")) > t)
                ready += heapq.nsmallest(room, later, key=lambda c: self._next_sweep[c])
            due += ready
        return sorted(due)

    async def sweep(self, cust_ids: Sequence[int], now: datetime) -> list[int]:
        """Read the ratings of these drivers (one call per ``ratings_batch``); the drivers read.

        A failed batch is not in the answer: its drivers stay due and are read again next cycle.
        """
        size = max(1, self.policy.ratings_batch)
        per_account: list[list[int]] = [[] for _ in self.clients]
        for c in cust_ids:
            per_account[account_of(c, len(self.clients))].append(c)
        batches = [
            (client, ids[i : i + size])
            for client, ids in zip(self.clients, per_account, strict=True)
            for i in range(0, len(ids), size)
        ]
        gate = asyncio.Semaphore(self.concurrency * len(self.clients))
        read: list[int] = []

        async def one(client: IRacingClient, batch: list[int]) -> None:
            async with gate:
                self.calls += 1
                reply = await client.member_get(batch, include_licenses=True)
            for member in reply.members:
                if member.licenses:
                    self.seen[member.cust_id] = fingerprint(member)
            read.extend(batch)

        outcomes = await asyncio.gather(*(one(client, b) for client, b in batches), return_exceptions=True)
        for outcome in outcomes:
            if isinstance(outcome, MaintenanceError):
                raise outcome
            if isinstance(outcome, IRacingError):
                logger.warning("ratings sweep: a batch failed (retried next cycle): %s", outcome)
            elif isinstance(outcome, BaseException):
                raise outcome
        return read
