"""Member sync end to end: the real bot in simcord keeps ``ClubMember`` current from Discord's events and lists."""

from __future__ import annotations

import discord
import pytest
import simcord

from simlane.clubs.models import Club, ClubMember, ClubRole, DiscordMemberSync, SyncKind
from simlane.discord_bot.bot import SimLaneBot
from simlane.discord_bot.bot.bot import EXTENSIONS
from simlane.discord_bot.offline import handled_errors, reply_text

from .conftest import Server, World

pytestmark = pytest.mark.django_db(transaction=True)


async def member(server: Server, user_id: int) -> ClubMember:
    return await ClubMember.objects.aget(club__guild_id=server.guild.id, discord_user_id=user_id)


async def test_joins_leaves_nickname_and_role_changes_update_club_members(world: World, simcord_env):
    s = Server(simcord_env)
    await simcord_env.settle()
    club = await Club.objects.aget(guild_id=s.guild.id)
    assert club.active and club.name == "Sunday Cup"
    # The bot's join synced who was there: the owner and the admin, with their roles; the bot itself is no member.
    roles = {m.discord_user_id: m.role async for m in ClubMember.objects.filter(club=club)}
    assert roles == {s.owner_user.id: ClubRole.OWNER, s.admin.id: ClubRole.ADMIN}

    ana = s.join("ana", global_name="Ana Silva")
    await simcord_env.settle()
    row = await member(s, ana.id)
    assert (row.active, row.username, row.display_name, row.nick, row.role) == (
        True,
        "ana",
        "Ana Silva",
        "",
        ClubRole.MEMBER,
    )

    s.set_nick(ana, "[APX] Ana Silva #7")
    await simcord_env.settle()
    row = await member(s, ana.id)
    assert (row.nick, row.display_name) == ("[APX] Ana Silva #7", "[APX] Ana Silva #7")

    simcord_env.backend.add_member_role(s.guild.id, ana.id, s.admins.id)
    await simcord_env.settle()
    assert (await member(s, ana.id)).role == ClubRole.ADMIN
    # Taking Manage Server away from the role demotes everyone holding it.
    simcord_env.backend.edit_role(s.guild.id, s.admins.id, {"permissions": 0})
    await simcord_env.settle()
    assert (await member(s, ana.id)).role == ClubRole.MEMBER
    assert (await member(s, s.admin.id)).role == ClubRole.MEMBER

    s.guild.remove_member(ana)
    await simcord_env.settle()
    row = await member(s, ana.id)
    assert not row.active and row.left_at is not None and row.display_name == "[APX] Ana Silva #7"  # kept

    s.guild.add_member(simcord.UserHandle(simcord_env, simcord_env.backend.get_user(ana.id)))
    await simcord_env.settle()
    row = await member(s, ana.id)
    assert row.active and row.left_at is None and row.nick == ""

    live = await DiscordMemberSync.objects.aget(club=club, kind=SyncKind.LIVE)
    assert (live.added, live.left) == (3, 1)  # the admin, then Ana twice; Ana left once
    assert live.updated == 4  # nickname, role given, two demotions


async def test_a_1200_member_server_syncs_in_pages_and_a_second_sync_changes_nothing(world: World, simcord_env):
    s = Server(simcord_env)
    await simcord_env.settle()
    # Members who joined while the bot could not see them: no join events, so only a full sync finds them.
    users = [simcord_env.create_user(f"driver{i:04d}") for i in range(1200)]
    for user in users:
        simcord_env.backend.add_member(s.guild.id, user.id, nick=f"Driver {user.id % 97}" if user.id % 3 else None)

    def member_pages() -> list[str]:
        path = f"/guilds/{s.guild.id}/members"
        return [str(r.params.get("limit")) for r in simcord_env.http_requests if r.method == "GET" and r.path == path]

    before = len(member_pages())
    first = await s.admin.slash(s.chat, "members sync")
    assert first.ephemeral and "Synced 1202 members" in reply_text(first) and "1200 added" in reply_text(first)
    assert member_pages()[before:] == ["1000", "1000"]  # 1,202 members: two pages of at most 1,000
    assert await ClubMember.objects.filter(club__guild_id=s.guild.id, active=True).acount() == 1202
    stamps = {m.pk: m.updated_at async for m in ClubMember.objects.all()}

    second = await s.admin.slash(s.chat, "members sync")
    assert "Synced 1202 members" in reply_text(second) and "0 added, 0 updated, 0 left" in reply_text(second)
    assert {m.pk: m.updated_at async for m in ClubMember.objects.all()} == stamps

    # Three left while the bot was offline (no leave events): the next full sync marks them left, keeping the rows.
    for user in users[:3]:
        del simcord_env.backend.guilds[s.guild.id].members[user.id]
    third = await s.admin.slash(s.chat, "members sync")
    assert "Synced 1199 members" in reply_text(third) and "0 added, 0 updated, 3 left" in reply_text(third)
    left = {m.discord_user_id async for m in ClubMember.objects.filter(active=False)}
    assert left == {u.id for u in users[:3]}
    syncs = [(x.seen, x.added, x.updated, x.left) async for x in DiscordMemberSync.objects.filter(kind=SyncKind.FULL)]
    assert syncs[:3] == [(1199, 0, 0, 3), (1202, 0, 0, 0), (1202, 1200, 0, 0)]  # newest first


async def test_only_admins_may_run_a_sync(world: World, simcord_env):
    s = Server(simcord_env)
    someone = s.join("someone")
    await simcord_env.settle()
    before = await DiscordMemberSync.objects.filter(kind=SyncKind.FULL).acount()
    refused = await someone.slash(s.chat, "members sync")
    assert refused.ephemeral and "You need Manage Server" in reply_text(refused)
    assert handled_errors(simcord_env) == ["ConfigPermissionError"]
    assert await DiscordMemberSync.objects.filter(kind=SyncKind.FULL).acount() == before


async def test_bot_joining_and_leaving_marks_the_club_active_and_inactive(world: World, simcord_env):
    s = Server(simcord_env)
    s.join("ana")
    await simcord_env.settle()
    assert (await Club.objects.aget(guild_id=s.guild.id)).active
    simcord_env.backend.remove_guild(s.guild.id)
    await simcord_env.settle()
    club = await Club.objects.aget(guild_id=s.guild.id)
    assert not club.active
    assert await ClubMember.objects.filter(club=club).acount() == 3  # the data is kept


class NoMembersIntentBot(SimLaneBot):
    """SimLane started without the Server Members Intent (discord.py keeps intents on the connection state)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._connection._intents.members = False


async def test_without_the_members_intent_simlane_says_what_to_enable(world: World):
    bot = NoMembersIntentBot(iracing=world.bot.iracing)
    async with simcord.run(bot) as env:
        s = Server(env)
        await env.settle()
        result = await s.admin.slash(s.chat, "members sync")
        assert result.ephemeral and "Server Members Intent" in reply_text(result)
        assert "Nothing was synced" in reply_text(result)
        assert handled_errors(env) == ["MemberSyncError"]
    failed = [x async for x in DiscordMemberSync.objects.filter(kind=SyncKind.FULL).values_list("error", flat=True)]
    assert failed and all("Server Members Intent" in e for e in failed)  # the join's sync and the command's
    assert not await ClubMember.objects.aexists()  # nothing half-synced
    assert discord.Intents.default().members is False


async def test_changes_made_while_simlane_was_offline_are_read_at_start(world: World, simcord_env):
    s = Server(simcord_env)
    leaver = s.join("leaver")
    await simcord_env.settle()
    # SimLane goes offline; meanwhile one member joins and one leaves, and no event reaches it.
    await simcord_env.restart_bot(
        SimLaneBot(iracing=world.bot.iracing, extensions=tuple(e for e in EXTENSIONS if not e.endswith(".clubs")))
    )
    newcomer = simcord_env.create_user("newcomer")
    simcord_env.backend.add_member(s.guild.id, newcomer.id, nick="Ana Chen")
    del simcord_env.backend.guilds[s.guild.id].members[leaver.id]
    await simcord_env.restart_bot(SimLaneBot(iracing=world.bot.iracing))
    await simcord_env.settle()
    rows = {m.discord_user_id: (m.nick, m.active) async for m in ClubMember.objects.filter(club__guild_id=s.guild.id)}
    assert rows == {
        s.owner_user.id: ("", True),
        s.admin.id: ("", True),
        leaver.id: ("", False),
        newcomer.id: ("Ana Chen", True),
    }
