"""The demo: the same bot code against simcord (an offline Discord in memory) and the local iRacing simulator.

A demo server, channel and tracked drivers are set up through the real slash commands, so a newcomer watches real
result posts appear with nothing configured.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime

import discord
import simcord

from simlane.iracing.client import IRacingClient
from simlane.iracing.simulator import Simulator
from simlane.iracing.simulator.world import Member
from simlane.results import aio
from simlane.results.embeds import embed_as_text
from simlane.results.poller import PollPolicy

from .bot import SimLaneBot
from .offline import reply_text
from .runtime import Say, results_runner


@dataclass
class DemoServer:
    guild: simcord.GuildHandle
    results: simcord.ChannelHandle
    general: simcord.ChannelHandle
    admin: simcord.MemberActor
    member: simcord.MemberActor


def demo_drivers(sim: Simulator, count: int = 6) -> list[Member]:
    """Busy drivers whose next races finish soonest, with names unique enough to track by name."""
    world, now = sim.world, sim.clock.time()
    names = [m.display_name.casefold() for m in world.members]
    soonest: list[tuple[float, Member]] = []
    for m in world.members:
        if m.races_per_day < 1 or sum(m.display_name.casefold() in n for n in names) > 1:
            continue
        sessions = world.member_sessions(m, now - 3 * 3600, now + 6 * 3600)
        ends = [s.end for s in sessions if s.end > now + 120 and world.split_of(m, s) is not None]
        if ends:
            soonest.append((min(ends), m))
    soonest.sort(key=lambda x: x[0])
    return [m for _, m in soonest[:count]]


async def demo_server(env: simcord.Env, sim: Simulator, say: Say) -> DemoServer:
    """A server as a league admin would set it up: a results channel, members tracking drivers by name."""
    guild = env.create_guild(name="SimLane Demo League")
    admins = guild.create_role("League admins", permissions=discord.Permissions(manage_guild=True))
    server = DemoServer(
        guild,
        guild.create_text_channel("race-results"),
        guild.create_text_channel("general"),
        guild.add_member(env.create_user("league-admin"), roles=[admins]),
        guild.add_member(env.create_user("driver-fan")),
    )
    reply = await server.admin.slash(server.general, "results channel", channel=server.results)
    say(f"  league-admin: /results channel #race-results  →  {reply_text(reply)}")
    for m in demo_drivers(sim):
        reply = await server.member.slash(server.general, "track", driver=m.display_name)
        say(f"  driver-fan: /track driver:{m.display_name}  →  {reply_text(reply)}")
    await demo_numbers(server, sim, say)
    return server


async def demo_numbers(server: DemoServer, sim: Simulator, say: Say) -> None:
    """Car numbers: the admin links the server to a simulated league, a member claims and links, the admin verifies
    the link and syncs."""
    league = sim.world.leagues[0]
    cust, number = next((c, n) for c, n in league.roster if n)
    reply = await server.admin.slash(server.general, "setup", league_id=league.league_id, min_number=1, max_number=99)
    say(f"  league-admin: /setup league_id:{league.league_id} min_number:1 max_number:99  →  saved")
    reply = await server.member.slash(server.general, "claim", number=number)
    say(f"  driver-fan: /claim number:{number}  →  {reply_text(reply)}")
    reply = await server.member.slash(server.general, "link", driver=str(cust))
    say(f"  driver-fan: /link driver:{cust}  →  {reply_text(reply)}")
    reply = await server.admin.slash(server.general, "verify", member=server.member)
    say(f"  league-admin: /verify member:@driver-fan  →  {reply_text(reply)}")
    reply = await server.admin.slash(server.general, "sync")
    message = reply.followups[0] if reply.followups else reply.response
    if message is not None and message.embeds:
        summary = ", ".join(f"{f.name}" for f in message.embeds[0].fields)
        say(f"  league-admin: /sync  →  {summary}")


async def run_demo(
    bot: SimLaneBot, client: IRacingClient, sim: Simulator, *, policy: PollPolicy, duration: float, say: Say
) -> int:
    """Run the demo for ``duration`` real seconds (0: until interrupted); returns how many results were posted."""
    async with simcord.run(bot, check_errors=False) as env:
        say("Offline Discord (simcord): creating the demo server")
        server = await demo_server(env, sim, say)
        shown: set[int] = set()

        async def show(_tick: object) -> None:
            for message in server.results.history():
                if message.id not in shown and message.embeds:
                    shown.add(message.id)
                    when = datetime.fromtimestamp(sim.clock.time(), UTC)
                    say(f"\n[{when:%H:%M} simulated] #race-results\n{embed_as_text(dict(message.embeds[0].to_dict()))}")

        runner = results_runner(bot, client, policy=policy, sleep=sim.clock.sleep)
        runner.on_tick = show
        tracked = len(await aio.tracked_driver_list(guild_id=server.guild.id))
        say(f"\nWatching {tracked} drivers; results appear as their races finish (Ctrl-C to stop)...")
        task = asyncio.ensure_future(runner.run_forever())
        try:
            if duration:
                await asyncio.sleep(duration)
            else:
                await asyncio.Event().wait()
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        return len(shown)
