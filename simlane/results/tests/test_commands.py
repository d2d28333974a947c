"""Slash commands through the real bot in simcord, against the simulator: what members and admins see."""

from __future__ import annotations

import discord
import pytest

from simlane.results.models import GuildResultsConfig, TrackedDriver

from .conftest import T0, ResultsWorld, handled_errors, reply_text
from .test_e2e import Server

pytestmark = pytest.mark.django_db(transaction=True)


async def test_configuration_is_refused_server_side_without_manage_server(results_world: ResultsWorld, simcord_env):
    one = Server(simcord_env, "one")
    result = await one.member.slash(one.chat, "results channel", channel=one.results)
    assert result.ephemeral and "You need Manage Server" in reply_text(result)
    assert handled_errors(simcord_env) == ["ConfigPermissionError"]
    assert not await GuildResultsConfig.objects.aexists()


async def test_the_admin_role_a_server_chose_may_configure(results_world: ResultsWorld, simcord_env):
    one = Server(simcord_env, "one")
    stewards = one.guild.create_role("Stewards")
    steward = one.guild.add_member(simcord_env.create_user("steward"), roles=[stewards])
    refused = await steward.slash(one.chat, "results mode", races="official")
    assert "You need Manage Server" in reply_text(refused)
    assert handled_errors(simcord_env) == ["ConfigPermissionError"]

    granted = await one.admin.slash(one.chat, "results adminrole", role=stewards)
    assert "can now configure SimLane" in reply_text(granted)
    done = await steward.slash(one.chat, "results mode", races="official")
    assert "Posting: official races only" in reply_text(done)
    config = await GuildResultsConfig.objects.aget(guild_id=one.guild.id)
    assert config.mode == "official"
    # Granting the role is itself Manage Server only.
    escalate = await steward.slash(one.chat, "results adminrole", role=stewards)
    assert "Manage Server" in reply_text(escalate)
    assert handled_errors(simcord_env) == ["MissingPermissions"]


async def test_a_channel_the_bot_cannot_post_in_is_refused(results_world: ResultsWorld, simcord_env):
    one = Server(simcord_env, "one")
    bot_member = one.guild.me
    assert bot_member is not None
    closed = one.guild.create_text_channel(
        "closed", overwrites={bot_member: discord.PermissionOverwrite(send_messages=False)}
    )
    result = await one.admin.slash(one.chat, "results channel", channel=closed)
    assert result.ephemeral and "I need Send Messages" in reply_text(result)
    assert handled_errors(simcord_env) == ["ResultsCommandError"]
    assert not await GuildResultsConfig.objects.aexists()


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("Nobody Byname", "No iRacing driver matches"),
        ("12ab", "customer id (digits only)"),
        ("999", "No iRacing driver has customer id 999"),
        ("a", "drivers match"),
    ],
)
async def test_bad_driver_input_gets_a_clear_message_and_tracks_nobody(
    results_world: ResultsWorld, simcord_env, typed, says
):
    one = Server(simcord_env, "one")
    result = await one.member.slash(one.chat, "track", driver=typed)
    assert result.ephemeral and says in reply_text(result), reply_text(result)
    assert handled_errors(simcord_env) == ["DriverInputError"]
    assert not await TrackedDriver.objects.aexists()


async def test_iracing_maintenance_during_track_changes_nothing(results_world: ResultsWorld, simcord_env):
    one = Server(simcord_env, "one")
    results_world.sim.faults.add("maintenance", 5)
    (a,) = results_world.active_members(1)
    result = await one.member.slash(one.chat, "track", driver=a.display_name)
    assert result.ephemeral and "maintenance" in reply_text(result)
    assert handled_errors(simcord_env) == ["MaintenanceError"]
    assert not await TrackedDriver.objects.aexists()


async def test_autocomplete_offers_matching_drivers_with_their_ids(results_world: ResultsWorld, simcord_env):
    one = Server(simcord_env, "one")
    (a,) = results_world.active_members(1)
    for command in ("track", "results last", "link"):  # one autocomplete serves every driver option
        choices = await one.member.autocomplete(one.chat, command, "driver", a.display_name[:5])
        assert {"name": f"{a.display_name} ({a.cust_id})", "value": str(a.cust_id)} in choices, command
        assert len(choices) <= 25


async def test_tracked_pages_through_a_long_list(results_world: ResultsWorld, simcord_env):
    one = Server(simcord_env, "one")
    for m in results_world.sim.world.members[:25]:
        await TrackedDriver.objects.acreate(guild_id=one.guild.id, cust_id=m.cust_id, display_name=m.display_name)
    result = await one.member.slash(one.chat, "tracked")
    assert result.response is not None
    page1 = result.response.embeds[0]
    assert page1.title == "Tracked drivers (25)" and "Page 1 of 2" in str(page1.footer.text)
    assert str(page1.description).count("\n") == 19
    turned = await one.member.click(result.response, label="Next")
    page2 = (turned.response or result.response).embeds[0]
    assert "Page 2 of 2" in str(page2.footer.text) and str(page2.description).count("\n") == 4


async def test_only_the_tracker_or_an_admin_can_untrack(results_world: ResultsWorld, simcord_env):
    one = Server(simcord_env, "one")
    (a,) = results_world.active_members(1)
    await one.member.slash(one.chat, "track", driver=str(a.cust_id))
    other = one.guild.add_member(simcord_env.create_user("other"))
    refused = await other.slash(one.chat, "untrack", driver=str(a.cust_id))
    assert refused.ephemeral and "Only the member who tracked" in reply_text(refused)
    assert handled_errors(simcord_env) == ["ResultsError"]
    assert await TrackedDriver.objects.acount() == 1
    done = await one.admin.slash(one.chat, "untrack", driver=str(a.cust_id))
    assert "Stopped tracking" in reply_text(done)
    assert await TrackedDriver.objects.acount() == 0


async def test_results_last_posts_the_latest_race_publicly(results_world: ResultsWorld, simcord_env):
    one = Server(simcord_env, "one")
    (a,) = results_world.active_members(1)
    results_world.clock.advance(T0 + 86400 - results_world.clock.time())  # a day in: they have raced
    result = await one.member.slash(one.chat, "results last", driver=a.display_name)
    assert result.ephemeral and "latest race in this channel" in reply_text(result)
    (public,) = [m for m in result.followups if not m.ephemeral]
    embed = public.embeds[0]
    assert str(embed.title).startswith("🏁 ") and str(embed.footer.text).startswith("Subsession ")
    assert [m.embeds[0].title for m in one.chat.history() if m.embeds] == [embed.title]
