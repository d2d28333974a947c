"""A results world for end-to-end tests: the iRacing simulator on loopback, the real bot in simcord, the poller.

The simulator's clock is stopped (``speed=0``): it moves only when a test advances it (or a client back-off sleeps
through it), so which races have finished is exact. Results appear ``RESULT_DELAY`` seconds after a race ends.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest
import simcord

from simlane.cards.post import CardMaker
from simlane.core.db import close_async_connections
from simlane.discord_bot.bot import SimLaneBot
from simlane.discord_bot.escaping import discord_safe
from simlane.discord_bot.offline import handled_errors, reply_text
from simlane.discord_bot.publisher import DiscordPublisher
from simlane.iracing.client import IRacingClient
from simlane.iracing.simulator import SimClock, Simulator, SimulatorConfig
from simlane.iracing.simulator.local import demo_client_config
from simlane.iracing.simulator.world import Member
from simlane.results.poller import Outbox, PollPolicy, ResultsPoller, ResultsRunner, SubsessionFetcher
from simlane.results.poller.outbox import Publisher

T0 = datetime(2026, 3, 3, 12, 0, tzinfo=UTC).timestamp()
RESULT_DELAY = 30.0
FOOTER = re.compile(r"^Subsession (\d+) ")


@dataclass
class ResultsWorld:
    sim: Simulator
    clock: SimClock
    client: IRacingClient
    bot: SimLaneBot
    policy: PollPolicy = field(default_factory=PollPolicy)
    runner: ResultsRunner | None = None

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.clock.time(), UTC)

    def start_job(self, publisher: Publisher | None = None, cards: CardMaker | None = None) -> ResultsRunner:
        """A fresh poller and outbox, as a (re)started process would build them: nothing carried in memory."""
        fetcher = SubsessionFetcher(self.client)
        poller = ResultsPoller(self.client, now=self.now, policy=self.policy, fetcher=fetcher)
        outbox = Outbox(publisher or DiscordPublisher(self.bot), fetcher, now=self.now, cards=cards)
        self.runner = ResultsRunner(poller, outbox, interval_seconds=self.policy.interval.total_seconds())
        return self.runner

    async def run_until(self, end: float) -> None:
        """Advance the clock one poll interval at a time, running a poller cycle and an outbox drain each time."""
        assert self.runner is not None
        step = self.policy.interval.total_seconds()
        while self.clock.time() < end:
            self.clock.advance(step)
            await self.runner.tick()

    def active_members(self, count: int) -> list[Member]:
        """Members who race several times a day, with names distinct enough to track by name."""
        seen: set[str] = set()
        out = []
        for m in self.sim.world.members:
            folded = m.display_name.casefold()
            clash = any(folded in o.display_name.casefold() for o in self.sim.world.members if o is not m)
            if m.races_per_day >= 5 and folded not in seen and not clash:
                seen.add(folded)
                out.append(m)
            if len(out) == count:
                return out
        raise AssertionError("not enough active members in the simulated world")

    def races(self, member: Member, begin: float, end: float) -> set[int]:
        """Subsession ids of the member's races that ended in (begin, end] (ground truth from the world)."""
        world = self.sim.world
        out = set()
        for session in world.member_sessions(member, begin - 86400, end):
            split = world.split_of(member, session)
            if split is not None and begin < session.end <= end:
                out.add(session.subsession_id(split))
        return out


def posted(channel: simcord.ChannelHandle) -> list[tuple[int, str]]:
    """(subsession id, title) of every result embed in the channel, duplicates kept."""
    out = []
    for message in channel.history():
        for embed in message.embeds:
            match = FOOTER.match(embed.footer.text or "")
            if match and embed.title:
                out.append((int(match.group(1)), embed.title))
    return out


def expected(world: ResultsWorld, members: list[Member], begin: float, end: float) -> list[tuple[int, str]]:
    return sorted((sub, f"🏁 {discord_safe(m.display_name)}") for m in members for sub in world.races(m, begin, end))


def titles_only(rows: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Keep the name part of each title (the position is checked by the embed tests)."""
    return sorted((sub, title.split(" — P")[0]) for sub, title in rows)


@pytest.fixture
async def results_world(transactional_db: None) -> AsyncIterator[ResultsWorld]:
    clock = SimClock(start=T0, speed=0)
    sim = Simulator(SimulatorConfig(members=600, seed=3, result_delay=RESULT_DELAY), clock=clock)
    await sim.start()
    client = IRacingClient(demo_client_config(sim.base_url, max_retry_seconds=30.0), clock=clock)
    world = ResultsWorld(sim, clock, client, bot=None)  # type: ignore[arg-type]
    world.bot = SimLaneBot(iracing=client, now=world.now)
    try:
        async with client:
            yield world
    finally:
        await sim.stop()
        await close_async_connections()  # the async ORM's thread holds its own connection


@pytest.fixture
def simcord_bot(results_world: ResultsWorld) -> SimLaneBot:
    return results_world.bot


__all__ = ["ResultsWorld", "expected", "handled_errors", "posted", "reply_text", "titles_only"]
