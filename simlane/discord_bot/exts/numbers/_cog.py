"""Car-number commands for every member (thin: parse, call the racenumbers facade, reply)."""

from __future__ import annotations

import io
import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from simlane.discord_bot.bot.checks import guild_id_of
from simlane.discord_bot.escaping import NO_MENTIONS, discord_safe
from simlane.discord_bot.pages import LinePages
from simlane.racenumbers import aio
from simlane.racenumbers.export import roster_csv
from simlane.racenumbers.numbers import parse_number, pool_resolve
from simlane.racenumbers.services import NumbersError

from ._report import sync_embed
from ._shared import POOL, announce, claim_line, pool_choices, reply_after_write
from ._trade import trade_view

if TYPE_CHECKING:
    from simlane.discord_bot.bot import SimLaneBot

logger = logging.getLogger(__name__)


class NumbersCog(commands.Cog):
    def __init__(self, bot: SimLaneBot) -> None:
        self.bot = bot

    @app_commands.command(name="claim", description="Claim a car number")
    @app_commands.describe(number="The number, e.g. 7, 07 or 142", pool=POOL)
    @app_commands.autocomplete(pool=pool_choices)
    @app_commands.guild_only()
    async def claim(self, interaction: discord.Interaction, number: str, pool: str | None = None) -> None:
        guild_id = guild_id_of(interaction)
        claim = await aio.number_claim(
            guild_id=guild_id,
            user_id=interaction.user.id,
            user_name=interaction.user.display_name,
            number=number,
            pool=pool,
        )
        where = f" in {discord_safe(claim.pool)}" if claim.pool else ""
        await reply_after_write(
            interaction,
            f"#{claim.number}{where} is yours. ⏳ An admin still has to assign it in iRacing; `/sync` checks it.",
        )
        await announce(self.bot, guild_id, f"<@{interaction.user.id}> claimed #{claim.number}{where}.")

    @app_commands.command(name="release", description="Give up one of your car numbers")
    @app_commands.describe(number="Your number", pool=POOL)
    @app_commands.autocomplete(pool=pool_choices)
    @app_commands.guild_only()
    async def release(self, interaction: discord.Interaction, number: str, pool: str | None = None) -> None:
        guild_id = guild_id_of(interaction)
        claim = await aio.number_release(guild_id=guild_id, user_id=interaction.user.id, number=number, pool=pool)
        await reply_after_write(interaction, f"You released #{claim.number}.")
        await announce(self.bot, guild_id, f"#{claim.number} is free again (released by <@{interaction.user.id}>).")

    @app_commands.command(name="mynumbers", description="Your car numbers and their iRacing status")
    @app_commands.guild_only()
    async def mynumbers(self, interaction: discord.Interaction) -> None:
        guild_id = guild_id_of(interaction)
        claims = await aio.member_claims(guild_id=guild_id, user_id=interaction.user.id)
        link = await aio.link_get(guild_id=guild_id, user_id=interaction.user.id)
        config = await aio.number_config_get(guild_id=guild_id)
        lines = [claim_line(c, with_pool=True, config=config) for c in claims] or ["You hold no number: `/claim` one."]
        if link:
            state = "verified ✅" if link.verified else "not verified yet"
            lines.append(f"iRacing: {discord_safe(link.iracing_name)} (`{link.cust_id}`), {state}")
        else:
            lines.append("iRacing account: not linked (`/link`)")
        await interaction.response.send_message("\n".join(lines), ephemeral=True, allowed_mentions=NO_MENTIONS)

    @app_commands.command(name="roster", description="Every claimed number, page by page")
    @app_commands.describe(pool=POOL)
    @app_commands.autocomplete(pool=pool_choices)
    @app_commands.guild_only()
    async def roster(self, interaction: discord.Interaction, pool: str | None = None) -> None:
        config = await aio.number_config_get(guild_id=guild_id_of(interaction))
        claims = await aio.claim_list(guild_id=config.guild_id, pool=pool_resolve(config, pool, required=False))
        view = LinePages(
            f"Car numbers ({len(claims)})",
            [claim_line(c, with_pool=True, config=config) for c in claims],
            interaction.user.id,
            empty="No number claimed yet.",
        )
        await view.send(interaction)

    @app_commands.command(name="available", description="Numbers nobody holds, page by page")
    @app_commands.describe(pool=POOL)
    @app_commands.autocomplete(pool=pool_choices)
    @app_commands.guild_only()
    async def available(self, interaction: discord.Interaction, pool: str | None = None) -> None:
        config = await aio.number_config_get(guild_id=guild_id_of(interaction))
        free = await aio.available_numbers(config=config, pool=pool_resolve(config, pool) or "")
        rows = [", ".join(free[i : i + 15]) for i in range(0, len(free), 15)]
        view = LinePages(f"Available numbers ({len(free)})", rows, interaction.user.id, empty="Every number is taken.")
        await view.send(interaction, ephemeral=True)

    @app_commands.command(name="check", description="Who holds a number, and who held it before")
    @app_commands.describe(number="The number", pool=POOL)
    @app_commands.autocomplete(pool=pool_choices)
    @app_commands.guild_only()
    async def check(self, interaction: discord.Interaction, number: str, pool: str | None = None) -> None:
        config = await aio.number_config_get(guild_id=guild_id_of(interaction))
        pool_name = pool_resolve(config, pool) or ""
        shown, key = parse_number(number, config)
        history = await aio.number_history(guild_id=config.guild_id, pool=pool_name, key=key)
        current = next((c for c in history if c.active), None)
        lines = [claim_line(current) if current else f"#{shown} is free: `/claim number:{shown}`"]
        past = [c for c in history if not c.active]
        if past:
            lines.append("Before: " + ", ".join(f"<@{c.discord_user_id}>" for c in past))
        await interaction.response.send_message("\n".join(lines), ephemeral=True, allowed_mentions=NO_MENTIONS)

    @app_commands.command(name="export", description="The roster as a CSV file")
    @app_commands.guild_only()
    async def export(self, interaction: discord.Interaction) -> None:
        guild_id = guild_id_of(interaction)
        claims = await aio.claim_list(guild_id=guild_id)
        data = roster_csv(claims, await aio.links_by_user(guild_id=guild_id))
        await interaction.response.send_message(
            f"{len(claims)} numbers.", file=discord.File(io.BytesIO(data), filename="car-numbers.csv"), ephemeral=True
        )

    @app_commands.command(name="trade", description="Offer to swap your number with another member's")
    @app_commands.describe(member="The member to swap with", pool=POOL)
    @app_commands.autocomplete(pool=pool_choices)
    @app_commands.guild_only()
    async def trade(self, interaction: discord.Interaction, member: discord.Member, pool: str | None = None) -> None:
        guild_id = guild_id_of(interaction)
        offer = await aio.trade_offer(
            guild_id=guild_id, from_user=interaction.user.id, to_user=member.id, pool=pool, now=self.bot.now()
        )
        await interaction.response.send_message(
            f"<@{member.id}>: <@{interaction.user.id}> offers #{offer.from_number} for your #{offer.to_number}"
            f" (open until {discord.utils.format_dt(offer.expires_at)}).",
            view=trade_view(offer.id),
            allowed_mentions=discord.AllowedMentions(users=[member], everyone=False, roles=False),
        )

    @app_commands.command(name="syncstatus", description="The last iRacing roster sync and what is still open")
    @app_commands.guild_only()
    async def syncstatus(self, interaction: discord.Interaction) -> None:
        config = await aio.number_config_get(guild_id=guild_id_of(interaction))
        if config.last_sync_at is None:
            raise NumbersError("No sync yet: an admin can run `/sync`.")
        await interaction.response.send_message(
            embed=sync_embed(config.last_sync_report, config.last_sync_at), ephemeral=True
        )
