"""The demo: the same bot code against simcord (an offline Discord in memory) and the local iRacing simulator,
with the dashboard served beside it and logins through the local Discord stand-in over the same offline Discord.

A demo server, channel and tracked drivers are set up through the real slash commands, so a newcomer watches real
result posts appear with nothing configured, then opens the dashboard and logs in as the demo server's admin.
``demo_main`` runs until the caller's ``until`` returns: ``simlane run`` waits for Ctrl-C or ``--duration``; tests
stop the simulated clock and stop once they have seen what they came for.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import discord
import simcord
from django.conf import settings

from simlane.clubs import aio as clubs_aio
from simlane.clubs.matching import name_key
from simlane.iracing.client import IRacingClient, IRacingError
from simlane.iracing.simulator import SimClock, Simulator
from simlane.iracing.simulator.local import demo_client_config
from simlane.iracing.simulator.world import Member
from simlane.results import aio
from simlane.results.embeds import embed_as_text
from simlane.results.poller import PollPolicy
from simlane.web.demo import simcord_demo_world, standin_discord

from .bot import SimLaneBot
from .demo_event import DemoEvent, demo_event_start, demo_event_tick
from .exts.event_discord._cog import EventDiscordCog
from .exts.event_notices._cog import EventNoticesCog
from .exts.health._cog import HealthCog
from .exts.intents._cog import IntentsCog
from .offline import reply_text
from .runtime import Say, WebAddress, dashboard, results_runner

DEMO_CARDS_DIR = Path(settings.DATA_DIR) / "demo-cards"  # where the demo saves the race cards it posts


def _plain(text: str) -> str:
    return text


@dataclass(frozen=True)
class Console:
    """Where the demo writes: lines for the newcomer, errors, and how to highlight the banner and the login."""

    say: Say
    error: Say
    warning: Callable[[str], str] = _plain
    success: Callable[[str], str] = _plain


@dataclass(frozen=True)
class DemoOptions:
    speed: float = 60.0  # the simulated clock's speed; 0 stops it (sleeping moves it: as fast as the CPU allows)
    interval: float = 120.0  # poll interval in simulated seconds
    web: WebAddress | None = field(default_factory=WebAddress)


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
    # Its admin added SimLane, so the dashboard shows the bot there.
    await clubs_aio.club_seen(guild_id=guild.id, name=guild.name)
    reply = await server.admin.slash(server.general, "results channel", channel=server.results)
    say(f"  league-admin: /results channel #race-results  →  {reply_text(reply)}")
    for m in demo_drivers(sim):
        reply = await server.member.slash(server.general, "track", driver=m.display_name)
        say(f"  driver-fan: /track driver:{m.display_name}  →  {reply_text(reply)}")
    await demo_numbers(server, sim, say)
    await demo_members(env, server, sim, say)
    return server


def demo_nicknames(sim: Simulator) -> list[tuple[str, str]]:
    """(username, server nickname) of members whose nicknames carry league drivers' names: two with one driver of
    that name in the whole world (proposals: one with a team tag, one with a car number), and one whose name two
    league drivers share (a conflict the admin settles on the members page)."""
    world, league = sim.world, sim.world.leagues[0]
    by_id = {m.cust_id: m for m in world.members}
    world_names = [name_key(m.display_name) for m in world.members]
    roster = [by_id[cust] for cust, _ in league.roster[1:] if cust in by_id]  # the first is driver-fan's
    unique = [m for m in roster if world_names.count(name_key(m.display_name)) == 1 and m.display_name.isprintable()]
    keys = [name_key(m.display_name) for m in roster]
    shared = next(m for m in roster if keys.count(name_key(m.display_name)) > 1)
    plain = name_key(shared.display_name).title()  # the name without the world's markdown decorations
    return [
        ("tag-racer", f"[SLD] {unique[0].display_name}"),
        ("number-racer", f"{unique[1].display_name} #23"),
        ("namesake", plain),
    ]


async def demo_members(env: simcord.Env, server: DemoServer, sim: Simulator, say: Say) -> None:
    """Members whose nicknames name their iRacing drivers; the admin's member sync proposes accounts for them."""
    for username, nick in demo_nicknames(sim):
        server.guild.add_member(env.create_user(username), nick=nick)
    reply = await server.admin.slash(server.general, "members sync")
    say(f"  league-admin: /members sync  →  {reply_text(reply)}")


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


@dataclass
class DemoRun:
    """What the running demo produced so far; ``until`` callbacks read it."""

    bot: SimLaneBot
    env: simcord.Env
    server: DemoServer
    dashboard: str | None = None  # the dashboard's address, once served
    posts: list[str] = field(default_factory=list)  # the result posts, as printed
    cards: list[Path] = field(default_factory=list)  # the race cards attached to them, saved to disk
    ticks: int = 0  # results cycles run (each also carries out the dashboard's queued Discord actions)
    event: DemoEvent | None = None  # the club event walked through its lifecycle
    _posted: asyncio.Event = field(default_factory=asyncio.Event)
    _ticked: asyncio.Event = field(default_factory=asyncio.Event)

    async def posts_at_least(self, count: int) -> None:
        while len(self.posts) < count:
            self._posted.clear()
            await self._posted.wait()

    async def event_done(self) -> None:
        """Until the demo event's results are posted and its Discord side archived."""
        while self.event is None or not self.event.done:
            self._ticked.clear()
            await self._ticked.wait()

    async def ticks_at_least(self, count: int) -> None:
        while self.ticks < count:
            self._ticked.clear()
            await self._ticked.wait()


Until = Callable[[DemoRun], Awaitable[object]]


@contextlib.contextmanager
def iracing_signin_on(sim: Simulator) -> Iterator[None]:
    """Point "Sign in with iRacing" at the simulator: its sign-in page offers the driver-fan's linked account (so
    signing in verifies their car-number link) and a few other simulated members."""
    names = ("IRACING_OAUTH_BASE_URL", "IRACING_API_BASE_URL", "IRACING_OAUTH_CLIENT_ID", "IRACING_OAUTH_CLIENT_SECRET")
    saved = {name: getattr(settings, name) for name in names}
    settings.IRACING_OAUTH_BASE_URL = sim.base_url
    settings.IRACING_API_BASE_URL = sim.base_url  # the sign-in reads the member's member/info there
    settings.IRACING_OAUTH_CLIENT_ID = sim.authcode.client.client_id
    settings.IRACING_OAUTH_CLIENT_SECRET = sim.authcode.client.client_secret
    linked = [c for c, n in sim.world.leagues[0].roster if n][:1]
    sim.authcode.logins = (*linked, *(m.cust_id for m in sim.world.members[:3] if m.cust_id not in linked))
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(settings, name, value)


@contextlib.asynccontextmanager
async def demo_dashboard(
    env: simcord.Env, server: DemoServer, sim: Simulator, web: WebAddress | None, say: Say
) -> AsyncIterator[str | None]:
    """The dashboard with the Discord stand-in over the demo's offline Discord: its users log in, and a server
    added in the browser appears in simcord with the bot in it."""
    if web is None:
        yield None
        return
    name = server.guild.name
    world = simcord_demo_world(env, admin_id=server.admin.id, member_id=server.member.id, server_name=name)
    with iracing_signin_on(sim):
        async with standin_discord(world), dashboard(web, say) as address:
            if address:
                say(
                    f"Open {address} and log in as league-admin (the admin of {name}) or driver-fan (a member): "
                    "the local Discord stand-in needs no account. Under “Your iRacing account” a member signs in "
                    "with the simulated iRacing to prove which driver they are."
                )
            yield address


async def run_demo(
    bot: SimLaneBot,
    client: IRacingClient,
    sim: Simulator,
    *,
    policy: PollPolicy,
    say: Say,
    until: Until,
    web: WebAddress | None = None,
) -> DemoRun:
    """Run the demo until ``until(run)`` returns; returns what it produced."""
    async with simcord.run(bot, check_errors=False) as env:
        say("Offline Discord (simcord): creating the demo server")
        run = DemoRun(bot, env, await demo_server(env, sim, say))
        shown: set[int] = set()
        # The live bot's background loops (intents drain, health heartbeat, events tick) poll on real time, which the
        # offline Discord's virtual clock never lets settle: the demo takes a health snapshot now and carries out the
        # dashboard's queued actions and the events' due steps at every results cycle instead.
        health, intents = bot.get_cog("HealthCog"), bot.get_cog("IntentsCog")
        guild = bot.get_guild(run.server.guild.id)
        if isinstance(health, HealthCog) and guild is not None:
            await health.refresh_guild(guild)

        run.event = await demo_event_start(
            bot,
            env,
            run.server.guild,
            run.server.general,
            run.server.admin,
            run.server.member,
            sim,
            demo_drivers(sim),
            bot.now(),
            say,
        )
        events = bot.get_cog("EventDiscordCog")
        notices = bot.get_cog("EventNoticesCog")

        async def show(_tick: object) -> None:
            if isinstance(intents, IntentsCog):
                await intents.drain()
            if isinstance(events, EventDiscordCog):  # time-driven event steps (race voice, start, end, archive)
                await events.tick()
            if isinstance(notices, EventNoticesCog):  # reminders, stint alerts, results posts
                await notices.tick()
            if run.event is not None:
                await demo_event_tick(bot, run.event, say)
            run.ticks += 1
            run._ticked.set()
            for message in run.server.results.history():
                if message.id not in shown and message.embeds:
                    shown.add(message.id)
                    when = datetime.fromtimestamp(sim.clock.time(), UTC)
                    post = f"[{when:%H:%M} simulated] #race-results\n{embed_as_text(dict(message.embeds[0].to_dict()))}"
                    for attachment in message.attachments:  # the race card, saved so it can be opened
                        path = DEMO_CARDS_DIR / f"{message.id}-{attachment.filename}"
                        path.parent.mkdir(parents=True, exist_ok=True)
                        path.write_bytes(await attachment.read())
                        run.cards.append(path)
                        post += f"\nRace card: {path}"
                    run.posts.append(post)
                    run._posted.set()
                    say(f"\n{post}")

        runner = results_runner(bot, client, policy=policy, sleep=sim.clock.sleep)
        runner.on_tick = show
        tracked = len(await aio.tracked_driver_list(guild_id=run.server.guild.id))
        async with demo_dashboard(env, run.server, sim, web, say) as run.dashboard:
            say(f"\nWatching {tracked} drivers; results appear as their races finish (Ctrl-C to stop)...")
            task = asyncio.ensure_future(runner.run_forever())
            try:
                await until(run)
            finally:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        return run


async def demo_main(options: DemoOptions, console: Console, until: Until) -> DemoRun | None:
    """``simlane run`` without credentials: the simulator, a check that iRacing answers, then the demo."""
    clock = SimClock(speed=options.speed)
    sim = Simulator(clock=clock)
    url = await sim.start()
    console.say(
        console.warning(
            f"Demo mode: no iRacing and Discord credentials, so SimLane runs against the local iRacing simulator "
            f"at {url} (clock ×{options.speed:g}) and an offline Discord. See README.md to use your own."
        )
    )
    try:
        async with IRacingClient(demo_client_config(url), clock=clock) as client:
            if not await _hello(client, clock, console):
                return None
            bot = SimLaneBot(iracing=client, now=clock.now)
            policy = PollPolicy(interval=timedelta(seconds=options.interval))
            run = await run_demo(bot, client, sim, policy=policy, say=console.say, until=until, web=options.web)
            m = client.metrics
            console.say(
                f"\n{len(run.posts)} results posted. Data API requests: {m.requests_sent}, downloads: {m.downloads}, "
                f"429s: {m.rate_limited}, retries: {m.retries}"
            )
            return run
    finally:
        await sim.stop()


async def _hello(client: IRacingClient, clock: SimClock, console: Console) -> bool:
    """Authenticate and show the races of the next hour: proof the iRacing side works before Discord starts."""
    now = datetime.fromtimestamp(clock.time(), UTC)
    try:
        member = await client.member_info()
        series = {s.series_id: s.series_name for s in await client.series()}
        guide = await client.race_guide(start_from=now)
    except IRacingError as exc:
        console.error(f"iRacing: {exc}")
        return False
    console.say(console.success(f"Authenticated as {member.display_name} (cust_id {member.cust_id})"))
    soon = [s for s in guide.sessions if s.start_time < now + timedelta(hours=1)]
    console.say(f"Races starting in the next hour: {len(soon)}")
    for s in soon[:6]:
        console.say(
            f"  {s.start_time:%H:%M} UTC  {series.get(s.series_id, s.series_id)}  {s.entry_count or 0} registered"
        )
    return True
