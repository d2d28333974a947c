"""The SimLane Discord bot: a ``commands.Bot`` that loads the feature extensions and syncs their commands."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

import discord
from discord.ext import commands

from simlane.iracing.client import IRacingClient

from .tree import SimLaneTree

logger = logging.getLogger(__name__)

EXTENSIONS = (
    "simlane.discord_bot.exts.results",
    "simlane.discord_bot.exts.numbers",
    "simlane.discord_bot.exts.schedule",
    "simlane.discord_bot.exts.clubs",
)


def utc_now() -> datetime:
    return datetime.now(UTC)


class SimLaneBot(commands.Bot):
    """Loads every extension in ``setup_hook`` and syncs slash commands to one guild or globally.

    It carries what the extensions share: the iRacing client (None when no iRacing access is configured; commands
    that need it say so) and the clock (the simulator's accelerated one in the demo).
    """

    def __init__(
        self,
        *,
        dev_guild_id: int | None = None,
        extensions: tuple[str, ...] = EXTENSIONS,
        iracing: IRacingClient | None = None,
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        intents = discord.Intents.default()
        # Privileged (enable "Server Members Intent" in the Developer Portal): the car-number rules need to know
        # when a member leaves a server.
        intents.members = True
        super().__init__(command_prefix=commands.when_mentioned, intents=intents, tree_cls=SimLaneTree)
        self.dev_guild_id = dev_guild_id
        self.extension_names = extensions
        self.iracing = iracing
        self.now = now

    async def setup_hook(self) -> None:
        for name in self.extension_names:
            await self.load_extension(name)
        if self.dev_guild_id:
            # One guild syncs instantly; global commands can take up to an hour to appear.
            guild = discord.Object(id=self.dev_guild_id)
            self.tree.copy_global_to(guild=guild)
            await self.tree.sync(guild=guild)
        else:
            await self.tree.sync()
        logger.info("SimLane bot ready with %d slash commands", len(self.tree.get_commands()))
