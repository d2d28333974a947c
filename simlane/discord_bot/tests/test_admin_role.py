"""Who administers SimLane on a server is changed only by Manage Server, to a role that can mean "these admins".

End to end in simcord: the real bot, real slash commands, members with and without Manage Server.
"""

from __future__ import annotations

import discord
import pytest
import simcord

from simlane.discord_bot.bot import SimLaneBot
from simlane.discord_bot.models import GuildSettings
from simlane.discord_bot.offline import handled_errors, reply_text
from simlane.racenumbers.models import NumberConfig

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def simcord_bot() -> SimLaneBot:
    return SimLaneBot()


class Server:
    def __init__(self, env: simcord.Env) -> None:
        self.guild = env.create_guild(name="Sunday Cup")
        managers = self.guild.create_role("Managers", permissions=discord.Permissions(manage_guild=True))
        self.stewards = self.guild.create_role("Stewards")
        self.chat = self.guild.create_text_channel("general")
        self.owner = self.guild.add_member(env.create_user("manager"), roles=[managers])
        self.steward = self.guild.add_member(env.create_user("steward"), roles=[self.stewards])
        self.member = self.guild.add_member(env.create_user("member"))


async def admin_role() -> int | None:
    return await GuildSettings.objects.filter().values_list("admin_role_id", flat=True).afirst()


async def test_a_delegated_admin_cannot_hand_the_admin_role_to_everyone(simcord_env):
    s = Server(simcord_env)
    assert f"<@&{s.stewards.id}>" in reply_text(await s.owner.slash(s.chat, "results adminrole", role=s.stewards))
    assert await admin_role() == s.stewards.id

    # The steward may configure SimLane (that is what the role is for) ...
    assert "Saved." in reply_text(await s.steward.slash(s.chat, "setup", min_number=1))
    # ... but not change who administers it, through either command, and a refused /setup changes nothing at all.
    everyone = s.guild.default_role
    escalate = await s.steward.slash(s.chat, "setup", admin_role=everyone, max_number=50)
    assert escalate.ephemeral and "Only members with Manage Server" in reply_text(escalate)
    via_results = await s.steward.slash(s.chat, "results adminrole", role=everyone)
    assert via_results.ephemeral and "Manage Server" in reply_text(via_results)
    assert await admin_role() == s.stewards.id
    assert (await NumberConfig.objects.aget()).max_number == 999
    assert handled_errors(simcord_env) == ["AdminRoleError", "MissingPermissions"]

    # An ordinary member still cannot run admin commands.
    refused = await s.member.slash(s.chat, "forcerelease", number="7")
    assert refused.ephemeral and "You need Manage Server" in reply_text(refused)
    handled_errors(simcord_env)


@pytest.mark.parametrize("command", ["setup", "results adminrole"], ids=["setup", "results-adminrole"])
async def test_roles_that_cannot_mean_these_admins_are_refused_even_for_manage_server(simcord_env, command):
    s = Server(simcord_env)
    option = "admin_role" if command == "setup" else "role"
    booster = s.guild.create_role("Server Booster", managed=True)
    above = s.guild.create_role("Founders", position=99)
    cases = [
        (s.guild.default_role, "@everyone can't be the SimLane admin role"),
        (booster, "is managed by Discord or an integration"),
        (above, "is above SimLane's own role"),
    ]
    for role, why in cases:
        result = await s.owner.slash(s.chat, command, **{option: role})
        assert result.ephemeral and why in reply_text(result) and "Nothing was changed" in reply_text(result)
    assert await admin_role() is None
    assert handled_errors(simcord_env) == ["AdminRoleError"] * 3

    ok = await s.owner.slash(s.chat, command, **{option: s.stewards})
    assert f"<@&{s.stewards.id}>" in reply_text(ok)
    assert await admin_role() == s.stewards.id
