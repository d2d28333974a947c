"""The SimLane Discord bot: a ``commands.Bot`` that loads the feature extensions and syncs their commands."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import discord
from discord.ext import commands

from simlane.cards.post import CardMaker, LapFetcher
from simlane.discord_bot.pages import StalePage
from simlane.iracing.client import IRacingClient

from .tree import SimLaneTree

logger = logging.getLogger(__name__)

EXTENSIONS = (
    "simlane.discord_bot.exts.results",
    "simlane.discord_bot.exts.numbers",
    "simlane.discord_bot.exts.schedule",
    "simlane.discord_bot.exts.help",
    "simlane.discord_bot.exts.health",
    "simlane.discord_bot.exts.intents",
    "simlane.discord_bot.exts.event_discord",
    "simlane.discord_bot.exts.clubs",
    "simlane.discord_bot.exts.event_notices",
    "simlane.discord_bot.exts.events",
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
        loops: bool = False,
        **options: Any,
    ) -> None:
        intents = discord.Intents.default()
        # Privileged (enable "Server Members Intent" in the Developer Portal): the car-number rules need to know
        # when a member leaves a server, and the club's member list follows joins, leaves, nicknames and roles.
        intents.members = True
        # Member lists are downloaded at start-up (discord.py's default): nickname and role changes reach
        # on_member_update only for members in the cache, and the member sync (exts/clubs) keeps ClubMember current
        # from them.
        # ``options`` reach discord.py's client: the shards (``shard_ids``, ``shard_count``) of a sharded bot.
        super().__init__(command_prefix=commands.when_mentioned, intents=intents, tree_cls=SimLaneTree, **options)
        self.dev_guild_id = dev_guild_id
        self.extension_names = extensions
        self.iracing = iracing
        # One card maker for the outbox and /results card alike: its lap cache is what makes a race's laps a single
        # fetch however many servers and commands draw it.
        self.cards = CardMaker(LapFetcher(iracing) if iracing else None)
        self.now = now
        # The extensions' own background loops (intents drain, health heartbeat): on in `simlane run` and the demo,
        # off by default so a test drives them one pass at a time.
        self.loops = loops

    async def setup_hook(self) -> None:
        for name in self.extension_names:
            await self.load_extension(name)
        # Page buttons of lists this process no longer holds (sent before a restart) still get an answer.
        self.add_dynamic_items(StalePage)
        if self.dev_guild_id:
            # One guild syncs instantly; global commands can take up to an hour to appear.
            guild = discord.Object(id=self.dev_guild_id)
            self.tree.copy_global_to(guild=guild)
            await self.tree.sync(guild=guild)
        else:
            await self.tree.sync()
        logger.info("SimLane bot ready with %d slash commands", len(self.tree.get_commands()))
