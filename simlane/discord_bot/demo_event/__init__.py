"""The demo's club event: a team event on the next official race of a driver the demo tracks, walked through its
whole lifecycle on the accelerated clock and printed as it happens.

The admin creates it; members sign up with the card's button and form (the fourth is waitlisted), one withdraws
with the card's button and the waitlist promotes the next; the admin forms and finalises two teams with a stint
plan. From then on the bot does everything by itself at every results cycle: the Discord scheduled event, team
threads, roles and voice (race voice opens 24 hours before), reminders, the stint alerts, the scheduled event's
start and end, the results post (found through the results pipeline: the race the tracked driver just ran) and the
archive an hour later.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import discord
import simcord

from simlane.discord_bot.bot import SimLaneBot
from simlane.discord_bot.exts.intents._cog import IntentsCog
from simlane.discord_bot.offline import reply_text
from simlane.iracing.simulator import Simulator
from simlane.iracing.simulator.world import Member, Session

from . import aio
from .script import EventFacts

logger = logging.getLogger(__name__)

SOONEST = timedelta(minutes=20)  # the race must leave time to sign up and form teams
LATEST = timedelta(hours=6)


@dataclass
class DemoEvent:
    """The demo event and what was printed about it."""

    event_id: int
    title: str
    guild_id: int
    facts: EventFacts | None = None
    shown: set[int] = field(default_factory=set)  # messages already printed
    scheduled_status: str = ""

    @property
    def done(self) -> bool:
        """Results posted and the event tidied away."""
        return self.facts is not None and self.facts.results_posted and self.facts.discord_status == "archived"


def race_to_join(sim: Simulator, drivers: list[Member], now: datetime) -> tuple[Member, Session] | None:
    """The soonest race, starting 20 minutes to 6 hours from now, that one of the tracked drivers runs."""
    start, end = (now + SOONEST).timestamp(), (now + LATEST).timestamp()
    found = [
        (s.start, i, m, s)
        for i, m in enumerate(drivers)
        for s in sim.world.member_sessions(m, start, end)
        if sim.world.split_of(m, s) is not None
    ]
    if not found:
        return None
    _, _, member, session = min(found, key=lambda x: (x[0], x[1]))
    return member, session


async def demo_event_start(
    bot: SimLaneBot,
    env: simcord.Env,
    guild: simcord.GuildHandle,
    general: simcord.ChannelHandle,
    admin: simcord.MemberActor,
    member: simcord.MemberActor,
    sim: Simulator,
    drivers: list[Member],
    now: datetime,
    say: Callable[[str], None],
) -> DemoEvent | None:
    """Set the event up as its people would; None (and a line saying why) when no tracked driver races soon."""
    picked = race_to_join(sim, drivers, now)
    if picked is None:
        say("  (no tracked driver races in the next hours: the demo event is skipped)")
        return None
    driver, session = picked
    series = session.series
    race_at = datetime.fromtimestamp(session.start, UTC)
    title = f"{series.short_name} team night"
    say(f"\nClub event: “{title}”, a team event on {driver.display_name}'s {series.name} race at {race_at:%H:%M} UTC")
    racer = guild.add_member(env.create_user("fast-friend"))
    co_driver = guild.add_member(env.create_user("co-driver"))
    reserve = guild.add_member(env.create_user("reserve"))
    await env.settle()
    reply = await racer.slash(general, "link", driver=str(driver.cust_id))
    say(f"  fast-friend: /link driver:{driver.cust_id}  →  {reply_text(reply)}")
    reply = await admin.slash(general, "verify", member=racer)
    say(f"  league-admin: /verify member:@fast-friend  →  {reply_text(reply)}")
    reply = await member.slash(general, "reminders", dm=True)
    say("  driver-fan: /reminders dm:True  →  reminders by DM on")
    event_id = await aio.event_create_demo(
        guild_id=guild.id,
        admin_id=admin.id,
        title=title,
        series_id=series.series_id,
        race_at=race_at,
        minutes=series.session_minutes,
        now=now,
    )
    say("  league-admin creates the event (team of 1–2 drivers, 3 places, signups close 10 minutes before)")
    intents = bot.get_cog("IntentsCog")
    if isinstance(intents, IntentsCog):
        await intents.drain()  # the bot makes the event channel and posts the signup card
    await env.settle()
    people = ((racer, "fast-friend"), (member, "driver-fan"), (co_driver, "co-driver"), (reserve, "reserve"))
    card = await _card(env, guild, event_id)
    if card is None:  # no card (the bot lacks a permission): sign up as the web page does
        for person, name in people:
            status = await aio.sign_up(guild_id=guild.id, discord_user_id=person.id, event_id=event_id, now=now)
            say(f"  {name} signs up on the dashboard  →  {status}")
        await aio.withdraw(guild_id=guild.id, discord_user_id=co_driver.id, event_id=event_id, now=now)
        say("  co-driver withdraws  →  the waitlist promotes reserve")
    else:
        message, class_id = card
        for person, name in people:
            shown = await person.click(message, label="Sign up / change")
            done = await person.submit_modal(shown, {"class": [str(class_id)]})
            say(f"  {name}: Sign up on the card  →  {reply_text(done).splitlines()[0]}")
        done = await co_driver.click(message, label="Withdraw")
        say(f"  co-driver: Withdraw on the card  →  {reply_text(done).splitlines()[0]}")
        if isinstance(intents, IntentsCog):
            await intents.drain()  # the card edited in place; the promoted member told
    teams = await aio.teams_form(
        guild_id=guild.id,
        admin_id=admin.id,
        event_id=event_id,
        teams=[("Blue Arrows", [racer.id, member.id]), ("Orange Flames", [reserve.id])],
        now=now,
    )
    say(f"  league-admin finalises the teams: {', '.join(teams)}; Blue Arrows' stints: fast-friend, then driver-fan")
    return DemoEvent(event_id, title, guild.id)


async def _card(env: simcord.Env, guild: simcord.GuildHandle, event_id: int) -> tuple[discord.Message, int] | None:
    """The signup card as members see it, and the event's class id."""
    found = await aio.card_of(event_id=event_id)
    if found is None:
        return None
    channel_id, message_id, class_id = found
    name = env.backend.get_channel(channel_id).name
    handle = guild.channels.get(str(name))
    message = next((m for m in handle.history() if m.id == message_id), None) if handle is not None else None
    return (message, class_id) if message is not None else None


def _when(now: datetime) -> str:
    return f"[{now:%H:%M} simulated]"


async def _channel(bot: SimLaneBot, channel_id: int) -> discord.abc.Messageable | None:
    channel = bot.get_channel(channel_id)
    if channel is None:
        try:
            channel = await bot.fetch_channel(channel_id)
        except discord.HTTPException:
            return None
    return channel if isinstance(channel, discord.abc.Messageable) else None


async def _new_messages(bot: SimLaneBot, demo: DemoEvent, channel_id: int) -> list[str]:
    channel = await _channel(bot, channel_id)
    if channel is None:
        return []
    out = []
    try:
        messages = [m async for m in channel.history(limit=50)]
    except discord.HTTPException:
        return []
    where = getattr(channel, "name", "thread")
    for message in reversed(messages):
        if message.id in demo.shown:
            continue
        demo.shown.add(message.id)
        text = message.content.splitlines()[0] if message.content else ""
        if message.embeds:
            embed = message.embeds[0]
            text = f"{embed.title or ''} {text}".strip()
            if (embed.title or "").startswith("🏁"):
                text += "\n" + "\n".join(f"    {f.name}: {str(f.value).splitlines()[0]}" for f in embed.fields)
        out.append(f"#{where}: {text[:300]}")
    return out


def _changes(before: EventFacts | None, after: EventFacts) -> list[str]:
    out = []
    if after.text_channel_id and (before is None or not before.text_channel_id):
        out.append("Discord: the event channel and its signup card are up")
    if after.scheduled_event_id and (before is None or not before.scheduled_event_id):
        out.append("Discord: a scheduled event mirrors it in the server's event list")
    if len(after.threads) > len(before.threads if before else ()):
        out.append(f"Discord: {len(after.threads)} private team threads with their drivers, team roles, practice voice")
    if len(after.race_voices) > len(before.race_voices if before else ()):
        out.append(f"Discord: race voice open for {len(after.race_voices)} teams (team and admins only)")
    if after.discord_status != (before.discord_status if before else "") and after.discord_detail:
        out.append(f"Discord status: {after.discord_status} — {after.discord_detail}")
    if after.discord_status == "archived" and (before is None or before.discord_status != "archived"):
        out.append("Discord: archived — threads locked, voice channels and team roles deleted, channel archived")
    return out


async def demo_event_tick(bot: SimLaneBot, demo: DemoEvent, say: Callable[[str], None]) -> None:
    """Print what changed since the last results cycle (which ran the bot's event jobs, as its loops do)."""
    facts = await aio.event_facts(event_id=demo.event_id)
    lines = _changes(demo.facts, facts)
    for channel_id in (facts.text_channel_id, *facts.threads):
        if channel_id:
            lines += await _new_messages(bot, demo, channel_id)
    guild = bot.get_guild(demo.guild_id)
    scheduled = guild.get_scheduled_event(facts.scheduled_event_id) if guild and facts.scheduled_event_id else None
    status = scheduled.status.name if scheduled is not None else ""
    if status and status != demo.scheduled_status:
        lines.append(f"Discord: the scheduled event is {status}")
        demo.scheduled_status = status
    demo.facts = facts
    stamp = _when(bot.now())
    for line in lines:
        say(f"{stamp} {line}")
