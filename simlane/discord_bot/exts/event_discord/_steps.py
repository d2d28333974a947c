"""The steps of an event's Discord side, each one idempotent: look at what is recorded, check it still exists on
Discord (a human may have deleted it), find it by its marker when a crash came between creating and recording it,
and only then create it, recording it at once.

Markers, so a crash never makes a second object: the event channel's topic and the Discord event's description
carry ``SimLane event #<id>``; a category is found by its name, a team role by its name (team · event), a team's
private thread by its name in the event channel, a voice channel by its name in the event's categories.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Literal

import discord

from simlane.discord_bot.escaping import discord_safe
from simlane.events import discord_plan as plan
from simlane.events.discord_objects import aio
from simlane.events.discord_objects.selectors import ARCHIVE_LABEL, EventSnapshot, TeamSnapshot

if TYPE_CHECKING:
    from ._reconcile import Pass

THREAD_ARCHIVE_MINUTES: Literal[10080] = 10080  # a week: the thread stays open from team finalisation to the race


async def _channel(guild: discord.Guild, channel_id: int | None) -> discord.abc.GuildChannel | discord.Thread | None:
    """The channel if it still exists on Discord; None when it never existed or a human deleted it (404)."""
    if channel_id is None:
        return None
    found = guild.get_channel_or_thread(channel_id)
    if found is not None:
        return found
    try:
        fetched = await guild.fetch_channel(channel_id)
    except discord.NotFound:
        return None
    return fetched


def card_link(snap: EventSnapshot) -> str:
    """Where the Discord event points: the signup card, else the event channel."""
    if snap.signup_message_id and snap.signup_channel_id:
        return f"https://discord.com/channels/{snap.guild_id}/{snap.signup_channel_id}/{snap.signup_message_id}"
    if snap.text_channel_id:
        return f"https://discord.com/channels/{snap.guild_id}/{snap.text_channel_id}"
    return f"https://discord.com/channels/{snap.guild_id}"


async def category_with_room(p: Pass, *, archive: bool = False, needed: int = 1) -> discord.CategoryChannel:
    """The series' (or the archive's) first category with room for ``needed`` channels, made if there is none."""
    snap, guild = p.snap, p.guild
    label = ARCHIVE_LABEL if archive else snap.series_label
    known = snap.archive_categories if archive else snap.categories
    uses: list[plan.CategoryUse] = []
    live: dict[int, discord.CategoryChannel] = {}
    for index, category_id in sorted(known.items()):
        category = await _channel(guild, category_id)
        if not isinstance(category, discord.CategoryChannel):  # deleted by a human: forget it, make it again
            await aio.category_record(club_id=snap.club_id, label=label, index=index, archive=archive, discord_id=None)
            known.pop(index)
            continue
        live[category.id] = category
        uses.append(plan.CategoryUse(index, category.id, len(category.channels)))
    choice = plan.category_pick(uses, needed=needed)
    if choice.discord_id is not None:
        return live[choice.discord_id]
    name = plan.archive_category_name(choice.index) if archive else plan.category_name(label, choice.index)
    category = next((c for c in guild.categories if c.name == name and c.id not in known.values()), None)
    if category is None:
        plan.check_channel_room(channels_now=len(guild.channels))
        p.creating()
        category = await guild.create_category(name, reason=plan.event_marker(snap.event_id))
    await aio.category_record(
        club_id=snap.club_id, label=label, index=choice.index, archive=archive, discord_id=category.id
    )
    known[choice.index] = category.id
    return category


async def category(p: Pass) -> None:
    snap = p.snap
    if await _channel(p.guild, snap.text_channel_id) is not None:
        return  # the channel exists: its category is settled
    chosen = await category_with_room(p)
    p.category = chosen  # the gateway may not have told the cache about a category made a moment ago
    if snap.category_id != chosen.id:
        await aio.event_object_record(event_id=snap.event_id, field="category_id", discord_id=chosen.id)
        snap.category_id = chosen.id


def _topic(snap: EventSnapshot) -> str:
    start = discord.utils.format_dt(snap.facts.race_at, "F")
    return f"{discord_safe(snap.title, limit=200)} · race {start}. {plan.event_marker(snap.event_id)}"


async def text_channel(p: Pass) -> None:
    snap, guild = p.snap, p.guild
    if await _channel(guild, snap.text_channel_id) is not None:
        return
    if snap.text_channel_id is not None:  # deleted by a human: the card went with it
        p.note(f"The event channel was deleted on Discord; SimLane made it again as #{snap.channel_name}.")
        await aio.event_object_record(event_id=snap.event_id, field="text_channel_id", discord_id=None)
        await aio.event_object_record(event_id=snap.event_id, field="signup_message_id", discord_id=None)
        snap.signup_message_id = None
        for team in snap.teams:  # its threads went with it
            if team.thread_id is not None:
                await aio.team_object_record(team_id=team.team_id, field="thread_id", discord_id=None)
                team.thread_id, team.thread_member_ids = None, []
    channel = next((c for c in guild.text_channels if plan.has_marker(c.topic, snap.event_id)), None)
    if channel is None:
        plan.check_channel_room(channels_now=len(guild.channels))
        parent = p.category or (guild.get_channel(snap.category_id) if snap.category_id else None)
        p.creating()
        channel = await guild.create_text_channel(
            snap.channel_name,
            category=parent if isinstance(parent, discord.CategoryChannel) else None,
            topic=_topic(snap),
            reason=plan.event_marker(snap.event_id),
        )
    await aio.event_object_record(event_id=snap.event_id, field="text_channel_id", discord_id=channel.id)
    snap.text_channel_id = channel.id


def _description(snap: EventSnapshot) -> str:
    return (
        f"{snap.title}\nSign up and follow the event in Discord: {card_link(snap)}\n{plan.event_marker(snap.event_id)}"
    )[:1000]


async def _scheduled(guild: discord.Guild, event_id: int | None) -> discord.ScheduledEvent | None:
    if event_id is None:
        return None
    try:
        return await guild.fetch_scheduled_event(event_id)
    except discord.NotFound:
        return None


async def scheduled_event(p: Pass) -> None:
    snap, guild = p.snap, p.guild
    found = await _scheduled(guild, snap.scheduled_event_id)
    if found is None and snap.scheduled_event_id is not None:
        if snap.ended_at is not None:
            return  # over and gone: nothing to mirror any more
        await aio.event_object_record(event_id=snap.event_id, field="scheduled_event_id", discord_id=None)
        snap.scheduled_event_id = None
    if found is None:
        existing = await guild.fetch_scheduled_events(with_counts=False)
        found = next((e for e in existing if plan.has_marker(e.description, snap.event_id)), None)
    if found is None:
        if p.now >= snap.facts.race_at:
            return  # Discord refuses an event that starts in the past
        p.creating()
        found = await guild.create_scheduled_event(
            name=plan.plain_name(snap.title, fallback="Race"),
            start_time=snap.facts.race_at,
            end_time=snap.facts.ends_at,
            entity_type=discord.EntityType.external,
            privacy_level=discord.PrivacyLevel.guild_only,
            location=card_link(snap)[:100],
            description=_description(snap),
            reason=plan.event_marker(snap.event_id),
        )
    elif found.status == discord.EventStatus.scheduled and (
        found.start_time != snap.facts.race_at or found.location != card_link(snap)[:100]
    ):  # the event moved, or the card exists now: mirror it
        found = await found.edit(
            start_time=snap.facts.race_at,
            end_time=snap.facts.ends_at,
            location=card_link(snap)[:100],
            description=_description(snap),
        )
    if snap.scheduled_event_id != found.id:
        await aio.event_object_record(event_id=snap.event_id, field="scheduled_event_id", discord_id=found.id)
        snap.scheduled_event_id = found.id


async def event_start(p: Pass) -> None:
    """SimLane starts the Discord event itself at race time (Discord starts voice events only by hand)."""
    snap = p.snap
    if snap.started_at is not None or snap.ended_at is not None:
        return
    found = await _scheduled(p.guild, snap.scheduled_event_id)
    if found is not None and found.status == discord.EventStatus.scheduled:
        await found.start()
    await aio.progress_record(event_id=snap.event_id, field="started_at", at=p.now)
    snap.started_at = p.now


async def event_end(p: Pass) -> None:
    snap = p.snap
    if snap.ended_at is not None:
        return
    found = await _scheduled(p.guild, snap.scheduled_event_id)
    if found is not None and found.status == discord.EventStatus.active:
        await found.end()
    elif found is not None and found.status == discord.EventStatus.scheduled:
        await found.cancel()  # never started (cancelled event, or SimLane was down the whole race)
    await aio.progress_record(event_id=snap.event_id, field="ended_at", at=p.now)
    snap.ended_at = p.now


async def _thread(p: Pass, parent: discord.TextChannel, team: TeamSnapshot) -> discord.Thread:
    found = await _channel(p.guild, team.thread_id)
    if isinstance(found, discord.Thread):
        return found
    if team.thread_id is not None:
        await aio.team_object_record(team_id=team.team_id, field="thread_id", discord_id=None)
        team.thread_id, team.thread_member_ids = None, []
    name = plan.team_thread_name(team.name)
    active = await p.guild.active_threads()
    thread = next((t for t in active if t.parent_id == parent.id and t.name == name), None)
    if thread is None:
        p.creating()
        # invitable=False: only moderators add people to a team's thread (the offline Discord drops the flag;
        # tests assert SimLane sends it).
        thread = await parent.create_thread(
            name=name,
            type=discord.ChannelType.private_thread,
            invitable=False,
            auto_archive_duration=THREAD_ARCHIVE_MINUTES,
            reason=plan.event_marker(p.snap.event_id),
        )
    await aio.team_object_record(team_id=team.team_id, field="thread_id", discord_id=thread.id)
    team.thread_id = thread.id
    return thread


async def team_threads(p: Pass) -> None:
    parent = await _channel(p.guild, p.snap.text_channel_id)
    if not isinstance(parent, discord.TextChannel):
        return
    for team in p.snap.teams:
        thread = await _thread(p, parent, team)
        missing = [m for m in team.member_ids if m not in team.thread_member_ids]
        if missing and thread.archived:
            await thread.edit(archived=False)  # Discord adds members only to an open thread
        for user_id in missing:
            await thread.add_user(discord.Object(user_id))
            await aio.team_member_record(team_id=team.team_id, field="thread", user_id=user_id)
            team.thread_member_ids.append(user_id)


async def team_roles(p: Pass) -> None:
    guild = p.guild
    for team in p.snap.teams:
        role = guild.get_role(team.role_id) if team.role_id else None
        if role is None:
            if team.role_id is not None:
                await aio.team_object_record(team_id=team.team_id, field="role_id", discord_id=None)
                team.role_id, team.role_member_ids = None, []
            name = plan.team_role_name(team.name, p.snap.title)
            role = next((r for r in guild.roles if r.name == name), None)
            if role is None:
                plan.check_role_room(roles_now=len(guild.roles))
                p.creating()
                role = await guild.create_role(name=name, mentionable=False, reason=plan.event_marker(p.snap.event_id))
            await aio.team_object_record(team_id=team.team_id, field="role_id", discord_id=role.id)
            team.role_id = role.id
        for user_id in [m for m in team.member_ids if m not in team.role_member_ids]:
            member = guild.get_member(user_id)
            if member is None:
                try:
                    member = await guild.fetch_member(user_id)
                except discord.NotFound:
                    continue  # left the server
            await member.add_roles(role, reason=plan.event_marker(p.snap.event_id))
            await aio.team_member_record(team_id=team.team_id, field="role", user_id=user_id)
            team.role_member_ids.append(user_id)


def _overwrites(
    p: Pass, team: TeamSnapshot
) -> dict[discord.Role | discord.Member | discord.Object, discord.PermissionOverwrite]:
    wanted = plan.team_voice_overwrites(
        everyone_role_id=p.guild.default_role.id,
        bot_user_id=p.guild.me.id,
        admin_role_id=p.snap.admin_role_id,
        team_role_id=team.role_id if p.snap.facts.team_roles else None,
        member_ids=team.member_ids,
    )
    out: dict[discord.Role | discord.Member | discord.Object, discord.PermissionOverwrite] = {}
    for o in wanted:
        target: discord.Role | discord.Member | discord.Object
        if o.kind == "role":
            target = p.guild.get_role(o.target_id) or discord.Object(o.target_id, type=discord.Role)
        else:
            target = p.guild.get_member(o.target_id) or discord.Object(o.target_id, type=discord.Member)
        out[target] = discord.PermissionOverwrite.from_pair(discord.Permissions(o.allow), discord.Permissions(o.deny))
    return out


async def _voice(p: Pass, purpose: str, field: str) -> None:
    snap, guild = p.snap, p.guild
    for team in snap.teams:
        current = getattr(team, field)
        if isinstance(await _channel(guild, current), discord.VoiceChannel):
            continue
        if current is not None:
            await aio.team_object_record(team_id=team.team_id, field=field, discord_id=None)
        name = plan.voice_name(team.name, purpose)
        ours = set(snap.categories.values())
        channel = next((c for c in guild.voice_channels if c.name == name and c.category_id in ours), None)
        if channel is None:
            parent = await category_with_room(p)
            plan.check_channel_room(channels_now=len(guild.channels))
            p.creating()
            channel = await guild.create_voice_channel(
                name, category=parent, overwrites=_overwrites(p, team), reason=plan.event_marker(snap.event_id)
            )
        await aio.team_object_record(team_id=team.team_id, field=field, discord_id=channel.id)
        setattr(team, field, channel.id)


async def practice_voice(p: Pass) -> None:
    await _voice(p, "practice", "practice_voice_id")


async def race_voice(p: Pass) -> None:
    await _voice(p, "race", "race_voice_id")


async def _delete(guild: discord.Guild, channel_id: int | None, reason: str) -> None:
    found = await _channel(guild, channel_id)
    if found is not None:
        with contextlib.suppress(discord.NotFound):  # deleted meanwhile: the outcome wanted
            await found.delete(reason=reason)


async def archive(p: Pass) -> None:
    """Threads archived and locked, voice channels and team roles deleted, the event channel moved to the archive
    category or deleted (the club's choice), the Discord event ended or cancelled."""
    snap, guild = p.snap, p.guild
    if snap.archived_at is not None:
        return
    reason = plan.event_marker(snap.event_id)
    for team in snap.teams:
        thread = await _channel(guild, team.thread_id)
        if isinstance(thread, discord.Thread) and not (thread.archived and thread.locked):
            await thread.edit(archived=True, locked=True, reason=reason)
        for field in ("practice_voice_id", "race_voice_id"):
            await _delete(guild, getattr(team, field), reason)
            await aio.team_object_record(team_id=team.team_id, field=field, discord_id=None)
        role = guild.get_role(team.role_id) if team.role_id else None
        if role is not None:
            with contextlib.suppress(discord.NotFound):
                await role.delete(reason=reason)
        if team.role_id is not None:
            await aio.team_object_record(team_id=team.team_id, field="role_id", discord_id=None)
    await event_end(p)
    channel = await _channel(guild, snap.text_channel_id)
    if channel is not None and snap.archive_delete:
        await _delete(guild, channel.id, reason)
        await aio.event_object_record(event_id=snap.event_id, field="text_channel_id", discord_id=None)
    elif isinstance(channel, discord.TextChannel):
        target = await category_with_room(p, archive=True)
        if channel.category_id != target.id:
            await channel.edit(category=target, reason=reason)
    await aio.progress_record(event_id=snap.event_id, field="archived_at", at=p.now)
    snap.archived_at = p.now
