"""Turning what a member typed into an iRacing driver (a cust_id, an autocomplete pick, a name), for every cog."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from weakref import WeakKeyDictionary

import discord
from discord import app_commands

from simlane.core.errors import ApplicationError
from simlane.discord_bot.escaping import discord_safe
from simlane.discord_bot.ids import refuse_lookalike_digits, typed_id
from simlane.iracing.client import IRacingClient, IRacingError
from simlane.results import aio as results_aio
from simlane.results.selectors import fold

logger = logging.getLogger(__name__)


class DriverInputError(ApplicationError):
    """The driver option does not name exactly one iRacing driver."""


@dataclass(frozen=True)
class Driver:
    cust_id: int
    display_name: str


def require_client(client: IRacingClient | None) -> IRacingClient:
    if client is None:
        raise DriverInputError("SimLane has no iRacing access configured; an operator has to set IRACING_* first.")
    return client


async def resolve_driver(client: IRacingClient, text: str) -> Driver:
    """A cust_id (typed or picked from autocomplete) or a unique name match from lookup/drivers."""
    term = text.strip()
    if not term:
        raise DriverInputError("Type a driver's name or iRacing customer id.")
    refuse_lookalike_digits(term)
    cust_id = typed_id(term)
    matches = await client.lookup_drivers(term)
    if cust_id is not None:
        exact = [m for m in matches if m.cust_id == cust_id]
        if not exact:
            raise DriverInputError(f"No iRacing driver has customer id {term}.")
        return Driver(exact[0].cust_id, exact[0].display_name)
    exact_name = [m for m in matches if m.display_name.casefold() == term.casefold()]
    if len(exact_name) == 1 or len(matches) == 1:
        m = (exact_name or matches)[0]
        return Driver(m.cust_id, m.display_name)
    if not matches:
        raise DriverInputError(
            f"No iRacing driver matches “{discord_safe(term, limit=80)}”. Give a name, or a customer id (digits only)."
        )
    raise DriverInputError(
        f"{len(matches)} drivers match “{discord_safe(term, limit=80)}”; pick one from the list as you type, "
        "or give the customer id."
    )


# Discord drops an autocomplete answer that takes longer than 3 seconds; this leaves room for the round trips.
AUTOCOMPLETE_BUDGET = 2.0
# How long an answer from iRacing is reused for the same typed text (members type, erase and retype).
SUGGESTION_TTL = 300.0
SUGGESTION_CACHE_SIZE = 1000


class DriverSuggestions:
    """Driver choices for autocomplete within :data:`AUTOCOMPLETE_BUDGET`, whatever iRacing is doing.

    iRacing is asked once, without retries and without waiting for a spent rate limit; what it answered is cached
    per typed text for :data:`SUGGESTION_TTL`. When it fails or is slow, the choices come from earlier answers for
    a shorter text (filtered) and from drivers SimLane already stores (this server's tracked drivers, drivers of
    stored results). Matching on local data ignores case and accents.
    """

    def __init__(self, client: IRacingClient, *, budget: float = AUTOCOMPLETE_BUDGET) -> None:
        self.client = client
        self.budget = budget
        self._answers: OrderedDict[str, tuple[float, list[Driver]]] = OrderedDict()

    async def suggest(self, term: str, *, guild_id: int | None, now: float) -> list[Driver]:
        key = fold(term.strip())
        cached = self._answers.get(key)
        if cached is not None and now - cached[0] < SUGGESTION_TTL:
            return cached[1]
        started = time.perf_counter()
        local = asyncio.ensure_future(results_aio.known_drivers(guild_id=guild_id, term=term))
        remote: list[Driver] | None = None
        try:
            found = await asyncio.wait_for(self.client.lookup_drivers(term.strip(), retry=False), self.budget)
            remote = [Driver(m.cust_id, m.display_name) for m in found]
        except (IRacingError, TimeoutError) as exc:
            logger.info("driver autocomplete for %r answered without iRacing: %s", term, exc or type(exc).__name__)
        left = max(0.05, self.budget - (time.perf_counter() - started))
        try:
            stored = [Driver(c, n) for c, n in await asyncio.wait_for(local, left)]
        except TimeoutError:
            stored = []
        if remote is not None:
            self._remember(key, now, remote)
            return _unique(remote + stored)
        return _unique(self._earlier(key, now) + stored)

    def _remember(self, key: str, now: float, drivers: list[Driver]) -> None:
        self._answers[key] = (now, drivers)
        self._answers.move_to_end(key)
        while len(self._answers) > SUGGESTION_CACHE_SIZE:
            self._answers.popitem(last=False)

    def _earlier(self, key: str, now: float) -> list[Driver]:
        """Drivers from fresh answers for a text that ``key`` extends ("lef" for "lefe"), that still match."""
        out: list[Driver] = []
        for prefix, (at, drivers) in self._answers.items():
            if now - at < SUGGESTION_TTL and key.startswith(prefix):
                out += [d for d in drivers if key in fold(d.display_name) or str(d.cust_id).startswith(key)]
        return out


_suggestions: WeakKeyDictionary[IRacingClient, DriverSuggestions] = WeakKeyDictionary()


def suggestions_for(client: IRacingClient) -> DriverSuggestions:
    """The one suggestion cache of an iRacing client (one client per process, so one cache per process)."""
    found = _suggestions.get(client)
    if found is None:
        found = _suggestions[client] = DriverSuggestions(client)
    return found


async def driver_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """Autocomplete for any ``driver`` option: up to 25 drivers whose name matches, within Discord's time limit;
    nothing (not an error) when iRacing is not configured and nothing is known locally."""
    client: IRacingClient | None = getattr(interaction.client, "iracing", None)
    term = current.strip()
    if client is None or len(term) < 2:
        return []
    now_of: Callable[[], datetime] | None = getattr(interaction.client, "now", None)
    now = now_of().timestamp() if now_of else time.time()
    drivers = await suggestions_for(client).suggest(term, guild_id=interaction.guild_id, now=now)
    return [app_commands.Choice(name=choice_name(d), value=str(d.cust_id)) for d in drivers[:25]]


def choice_name(driver: Driver) -> str:
    """The choice's label, "name (id)", within Discord's 100 characters: a long name is cut, the id always shows."""
    suffix = f" ({driver.cust_id})"
    name = driver.display_name
    if len(name) + len(suffix) > 100:
        name = name[: 100 - len(suffix) - 1] + "…"
    return name + suffix


def _unique(drivers: list[Driver]) -> list[Driver]:
    """Each driver once, where it first appears."""
    seen: dict[int, Driver] = {}
    for d in drivers:
        seen.setdefault(d.cust_id, d)
    return list(seen.values())
