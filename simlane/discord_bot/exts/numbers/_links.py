"""Linking members to iRacing accounts: `/link` for members, `/verify` and `/unlink` for admins.

A link is a pending claim until an admin verifies it (or, later, the member signs in with iRacing): the league
roster is public, so matching it proves nothing about who a member is."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from simlane.discord_bot.bot.checks import configuration_command, guild_id_of
from simlane.discord_bot.drivers import driver_autocomplete, require_client, resolve_driver
from simlane.discord_bot.escaping import NO_MENTIONS, discord_safe
from simlane.racenumbers import aio
from simlane.racenumbers.services import NumbersError

if TYPE_CHECKING:
    from simlane.discord_bot.bot import SimLaneBot


class NumbersLinksCog(commands.Cog):
    def __init__(self, bot: SimLaneBot) -> None:
        self.bot = bot

    @app_commands.command(name="link", description="Link your iRacing account (an admin verifies it)")
    @app_commands.describe(driver="Your iRacing name (pick from the list) or customer id")
    @app_commands.autocomplete(driver=driver_autocomplete)
    @app_commands.guild_only()
    async def link(self, interaction: discord.Interaction, driver: str) -> None:
        guild_id = guild_id_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        found = await resolve_driver(require_client(self.bot.iracing), driver)
        link = await aio.member_link(
            guild_id=guild_id, user_id=interaction.user.id, cust_id=found.cust_id, iracing_name=found.display_name
        )
        name = f"{discord_safe(found.display_name)} (`{found.cust_id}`)"
        if link.verified:
            text = f"Linked to {name}, verified ✅."
        else:
            text = (
                f"Linked to {name}, **pending**: an admin verifies it with `/verify` once they know the account is "
                "yours. Until then it reserves nothing."
            )
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @configuration_command()
    @app_commands.command(name="verify", description="Confirm a member's linked iRacing account is theirs (admins)")
    @app_commands.describe(member="The member whose pending link you vouch for")
    @app_commands.guild_only()
    async def verify(self, interaction: discord.Interaction, member: discord.Member) -> None:
        guild_id = guild_id_of(interaction)
        link = await aio.link_get(guild_id=guild_id, user_id=member.id)
        if link is None:
            raise NumbersError(f"<@{member.id}> has not linked an iRacing account: they use `/link` first.")
        link = await aio.member_link_verify(
            guild_id=guild_id,
            user_id=member.id,
            cust_id=link.cust_id,
            method="admin approval",
            actor_id=interaction.user.id,
        )
        await interaction.response.send_message(
            f"<@{member.id}> is verified as {discord_safe(link.iracing_name)} (`{link.cust_id}`).",
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )

    @configuration_command()
    @app_commands.command(name="unlink", description="Remove a member's iRacing link (admins)")
    @app_commands.describe(member="The member whose link to remove", reason="Why (kept in the audit log)")
    @app_commands.guild_only()
    async def unlink(self, interaction: discord.Interaction, member: discord.Member, reason: str = "") -> None:
        link = await aio.member_link_remove(
            guild_id=guild_id_of(interaction), user_id=member.id, actor_id=interaction.user.id, reason=reason
        )
        await interaction.response.send_message(
            f"<@{member.id}> is no longer linked to {discord_safe(link.iracing_name)} (`{link.cust_id}`).",
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )
