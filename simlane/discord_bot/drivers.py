"""Turning what a member typed into an iRacing driver (a cust_id, an autocomplete pick, a name), for every cog."""

from __future__ import annotations

from dataclasses import dataclass

import discord
from discord import app_commands

from simlane.core.errors import ApplicationError
from simlane.discord_bot.escaping import discord_safe
from simlane.iracing.client import IRacingClient, IRacingError


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
    matches = await client.lookup_drivers(term)
    if term.isdigit():
        exact = [m for m in matches if m.cust_id == int(term)]
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


async def driver_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """Autocomplete for any ``driver`` option: up to 25 drivers whose name matches; nothing (not an error) when
    iRacing does not answer or is not configured."""
    client: IRacingClient | None = getattr(interaction.client, "iracing", None)
    term = current.strip()
    if client is None or len(term) < 2:
        return []
    try:
        matches = await client.lookup_drivers(term)
    except IRacingError:
        return []
    return [
        app_commands.Choice(name=f"{m.display_name} ({m.cust_id})"[:100], value=str(m.cust_id)) for m in matches[:25]
    ]
