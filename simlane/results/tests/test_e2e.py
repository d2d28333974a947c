"""End to end: admins configure, members track by name, the simulated clock runs, races finish, and exactly the
right embeds appear in exactly the right channels of the right servers (simcord + the iRacing simulator)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import discord
import pytest
import simcord

from simlane.discord_bot.bot import SimLaneBot
from simlane.discord_bot.publisher import DiscordPublisher
from simlane.iracing.models import Participant, Subsession
from simlane.results.models import ConfigStatus, GuildResultsConfig, PostedResult, PostStatus
from simlane.results.poller import PollPolicy

from .conftest import T0, ResultsWorld, expected, posted, reply_text, titles_only

HOURS = 3600.0
pytestmark = pytest.mark.django_db(transaction=True)


class Server:
    def __init__(self, env: simcord.Env, name: str) -> None:
        self.guild = env.create_guild(name=name)
        admin_role = self.guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
        self.results = self.guild.create_text_channel("results")
        self.chat = self.guild.create_text_channel("chat")
        self.admin = self.guild.add_member(env.create_user(f"{name}-admin"), roles=[admin_role])
        self.member = self.guild.add_member(env.create_user(f"{name}-member"))

    async def setup(self, *drivers: str) -> None:
        result = await self.admin.slash(self.chat, "results channel", channel=self.results)
        assert result.ephemeral and "will be posted in" in reply_text(result)
        for name in drivers:
            reply = await self.member.slash(self.chat, "track", driver=name)
            assert reply.ephemeral
            assert "Tracking" in reply_text(reply), reply_text(reply)


async def test_each_server_gets_exactly_its_drivers_races_once(results_world: ResultsWorld, simcord_env):
    w = results_world
    a, b, c = w.active_members(3)
    one, two = Server(simcord_env, "one"), Server(simcord_env, "two")
    await one.setup(a.display_name, b.display_name)
    await two.setup(b.display_name, c.display_name)
    # Most of this small world's sessions have under six entrants; listing them as possibly unofficial would fetch
    # races none of these drivers ran, and this test counts fetches (the listing has its own test).
    w.policy = PollPolicy(official_min_entries=0)
    w.start_job()
    await w.run_until(T0 + 24 * HOURS)

    # Races that ended, with their result published, a poll interval before the end of the run are all posted.
    cutoff = T0 + 24 * HOURS - 10 * 60
    got_one = [p for p in titles_only(posted(one.results)) if p[0] in w.races(a, T0, cutoff) | w.races(b, T0, cutoff)]
    got_two = [p for p in titles_only(posted(two.results)) if p[0] in w.races(b, T0, cutoff) | w.races(c, T0, cutoff)]
    assert got_one == expected(w, [a, b], T0, cutoff)
    assert got_two == expected(w, [b, c], T0, cutoff)
    assert len(got_one) >= 3 and len(got_two) >= 3
    shared = w.races(b, T0, cutoff)
    assert shared and {s for s, _ in got_one} >= shared and {s for s, _ in got_two} >= shared
    # Nothing else: no duplicates, no other servers' drivers, nothing in the chat channels.
    assert len(posted(one.results)) == len(set(posted(one.results)))
    assert {t for _, t in titles_only(posted(one.results))} <= {t for _, t in expected(w, [a, b], T0, T0 + 25 * HOURS)}
    assert {t for _, t in titles_only(posted(two.results))} <= {t for _, t in expected(w, [b, c], T0, T0 + 25 * HOURS)}
    assert posted(one.chat) == [] and posted(two.chat) == []
    # Tracking starts now: races that ended before the drivers were tracked are not posted.
    for sub, _ in posted(one.results) + posted(two.results):
        found = w.sim.world.session_of_subsession(sub)
        assert found is not None and found[0].end > T0
    # Every fetched result is also stored with its participants in the iRacing app, for other features to reuse.
    assert await Subsession.objects.acount() == w.sim.counters["data:results/get"] > 0
    assert await Participant.objects.filter(cust_id=b.cust_id, simsession_number=0).acount() == len(shared)
    # b's races were fetched once for both servers.
    assert w.sim.counters["data:results/get"] <= len(
        w.races(a, T0, T0 + 25 * HOURS) | w.races(b, T0, T0 + 25 * HOURS) | w.races(c, T0, T0 + 25 * HOURS)
    )


class Crash(BaseException):
    """The process dies (raised past every ``except Exception``)."""


class CrashAfterSend(DiscordPublisher):
    async def send(self, **kwargs):
        await super().send(**kwargs)
        raise Crash  # the message is out, the ledger was not marked


async def test_a_crash_between_send_and_mark_neither_duplicates_nor_loses(results_world: ResultsWorld, simcord_env):
    w = results_world
    (a,) = w.active_members(1)
    one = Server(simcord_env, "one")
    await one.setup(a.display_name)
    w.start_job(CrashAfterSend(w.bot))
    with pytest.raises(Crash):
        await w.run_until(T0 + 24 * HOURS)
    crashed_at = w.clock.time()
    assert len(posted(one.results)) == 1
    assert await PostedResult.objects.filter(status=PostStatus.CLAIMED, attempts=1).acount() == 1

    w.bot = SimLaneBot(iracing=w.client, now=w.now)
    await simcord_env.restart_bot(w.bot)
    w.start_job()  # a new process: fresh poller, fetcher and outbox
    await w.run_until(crashed_at + 3 * HOURS)
    cutoff = crashed_at + 3 * HOURS - 10 * 60
    got = titles_only(posted(one.results))
    assert len(got) == len(set(got)), "a result was posted twice"
    assert [p for p in got if p[0] in w.races(a, T0, cutoff)] == expected(w, [a], T0, cutoff)


async def test_iracing_faults_are_survived_without_loss(results_world: ResultsWorld, simcord_env):
    w = results_world
    a, b = w.active_members(2)
    one = Server(simcord_env, "one")
    await one.setup(a.display_name, b.display_name)
    w.start_job()
    faults = w.sim.faults
    faults.add("429", 3)
    faults.add("500", 4)
    faults.add("expired_link", 2)
    faults.add("timeout", 1)
    await w.run_until(T0 + 1 * HOURS)
    faults.add("maintenance", 40)  # a maintenance window: every request refused for a while
    await w.run_until(T0 + 2 * HOURS)
    await w.run_until(T0 + 13 * HOURS)
    cutoff = T0 + 13 * HOURS - 10 * 60
    got = titles_only(posted(one.results))
    assert len(got) == len(set(got))
    assert [p for p in got if p[0] in w.races(a, T0, cutoff) | w.races(b, T0, cutoff)] == expected(
        w, [a, b], T0, cutoff
    )
    assert w.sim.faults.served["maintenance"] >= 1 and w.sim.faults.served["500"] == 4


@pytest.mark.parametrize("status", [403, 404])
async def test_a_forbidden_or_missing_channel_stops_posting_tells_the_owner_once_and_resumes(
    results_world: ResultsWorld, simcord_env, status
):
    w = results_world
    (a,) = w.active_members(1)
    one = Server(simcord_env, "one")
    await one.setup(a.display_name)
    simcord_env.inject_error("POST", f"/channels/{one.results.id}/messages", status=status, code=50013, times=None)
    w.start_job()
    await w.run_until(T0 + 24 * HOURS)
    config = await GuildResultsConfig.objects.aget(guild_id=one.guild.id)
    assert config.status == ConfigStatus.BROKEN
    owner_dm = one.guild.owner.dm_channel
    notices = [m for m in owner_dm.history() if "can't post race results" in m.content]
    assert len(notices) == 1, "the admins are told once, not every cycle"
    attempts = [
        e for e in simcord_env.http_requests if e.method == "POST" and e.path.endswith(f"{one.results.id}/messages")
    ]
    assert len(attempts) == 1, "a broken channel is not retried"
    waiting = await PostedResult.objects.filter(status=PostStatus.CLAIMED).acount()
    raced = w.races(a, T0, T0 + 24 * HOURS - 10 * 60)
    assert waiting >= len(raced) >= 1, "races that finished while the channel was broken are kept"

    new_channel = one.guild.create_text_channel("race-results")
    await one.admin.slash(one.chat, "results channel", channel=new_channel)
    await w.run_until(w.clock.time() + 2 * 120)
    got = titles_only(posted(new_channel))
    assert [p for p in got if p[0] in raced] == expected(w, [a], T0, T0 + 24 * HOURS - 10 * 60)
    assert len(got) == len(set(got)) == waiting  # everything kept is posted, once


RETRY_AFTER = 600.0  # seconds; far longer than the outbox's own first back-off (5 s) and a poll interval (120 s)


@pytest.fixture
def discord_429_says_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    """Discord answers a 429 with Retry-After (header and body); simcord's injected 429 carries neither, so its
    error is given them here, as discord.py would receive them from Discord after its own retries."""
    from simcord.http import client as simcord_http

    original = simcord_http._raise_for

    def raise_for(error: Any) -> None:
        if error.status != 429:
            original(error)
            return
        response = simcord_http._FakeResponse(429)
        response.headers["Retry-After"] = f"{RETRY_AFTER:g}"
        body = {"message": "You are being rate limited.", "retry_after": RETRY_AFTER, "global": False, "code": 0}
        raise discord.HTTPException(response, body)  # type: ignore[arg-type]

    monkeypatch.setattr(simcord_http, "_raise_for", raise_for)


async def test_a_discord_429_is_waited_out_then_posted_once(
    results_world: ResultsWorld, simcord_env, discord_429_says_retry_after
):
    w = results_world
    (a,) = w.active_members(1)
    one = Server(simcord_env, "one")
    await one.setup(a.display_name)
    simcord_env.inject_error("POST", f"/channels/{one.results.id}/messages", status=429, times=1)
    runner = w.start_job()
    step = w.policy.interval.total_seconds()

    def sends() -> int:
        path = f"/channels/{one.results.id}/messages"
        return sum(1 for e in simcord_env.http_requests if e.method == "POST" and e.path == path)

    while sends() == 0:  # until the first result is sent and refused with the 429
        assert w.clock.time() < T0 + 24 * HOURS, "no result was ever sent"
        w.clock.advance(step)
        await runner.tick()
    refused_at = w.now()
    refused = await PostedResult.objects.aget(attempts=1, posted_at__isnull=True)
    assert refused.next_attempt_at == refused_at + timedelta(seconds=RETRY_AFTER)
    # Not sent again before Retry-After has passed on the clock; sent at the first drain after it.
    while refused.status != PostStatus.POSTED:
        assert w.now() < refused_at + timedelta(seconds=RETRY_AFTER + step), "never re-sent after Retry-After"
        w.clock.advance(step)
        await runner.tick()
        await refused.arefresh_from_db()
    assert refused.attempts == 2 and refused.posted_at is not None
    assert refused_at + timedelta(seconds=RETRY_AFTER) <= refused.posted_at
    await w.run_until(T0 + 13 * HOURS)
    cutoff = T0 + 13 * HOURS - 10 * 60
    got = titles_only(posted(one.results))
    assert len(got) == len(set(got))
    assert [p for p in got if p[0] in w.races(a, T0, cutoff)] == expected(w, [a], T0, cutoff)
    assert await GuildResultsConfig.objects.filter(status=ConfigStatus.OK).acount() == 1


async def test_a_discord_outage_is_retried_a_bounded_number_of_times(results_world: ResultsWorld, simcord_env):
    w = results_world
    (a,) = w.active_members(1)
    one = Server(simcord_env, "one")
    await one.setup(a.display_name)
    simcord_env.inject_error("POST", f"/channels/{one.results.id}/messages", status=500, times=None)
    w.start_job()
    await w.run_until(T0 + 24 * HOURS)
    first = await PostedResult.objects.order_by("created_at").afirst()
    assert first is not None
    assert first.status == PostStatus.FAILED and first.attempts == 12  # OutboxPolicy.max_attempts
    assert "Discord 500" in first.last_error
    sends = [
        e for e in simcord_env.http_requests if e.method == "POST" and e.path.endswith(f"{one.results.id}/messages")
    ]
    assert len(sends) <= 12 * await PostedResult.objects.acount()
