"""An event's results land in its channel once: a league event through league/season_sessions on the simulator,
an official event through the race the results pipeline stored; club members marked."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import discord
import pytest
from asgiref.sync import sync_to_async

from simlane.core.db import close_async_connections
from simlane.discord_bot.bot import SimLaneBot
from simlane.discord_bot.exts.event_notices._sender import DiscordNoticeSender
from simlane.events.models import Event, EventNotice, EventSource, EventStatus, NoticeKind, NoticeStatus
from simlane.events.notices.outbox import Message
from simlane.iracing.client import IRacingClient
from simlane.iracing.models import Subsession
from simlane.iracing.simulator import Simulator
from simlane.iracing.sync.subsessions import subsession_store
from simlane.racenumbers.models import MemberLink
from simlane.results.poller.outbox import OutboxPolicy
from simlane.results.samples import sample_result

from .conftest import Clock, ClubWorld, club_world, notices_cog

pytestmark = pytest.mark.django_db(transaction=True)


def results_posts(world: ClubWorld) -> list[discord.Message]:
    return [m for m in world.channel.history() if m.embeds and (m.embeds[0].title or "").startswith("🏁 Results")]


async def link(world: ClubWorld, name: str, cust_id: int) -> None:
    await MemberLink.objects.acreate(
        guild_id=world.guild.id,
        discord_user_id=world.users[name].id,
        cust_id=cust_id,
        iracing_name=name,
        verified=True,
    )


class TestLeague:
    @pytest.fixture
    async def simcord_bot(
        self, stopped_sim: tuple[Simulator, IRacingClient], transactional_db: None
    ) -> AsyncIterator[SimLaneBot]:
        sim, client = stopped_sim
        yield SimLaneBot(iracing=client, now=lambda: datetime.fromtimestamp(sim.clock.time(), UTC))
        await close_async_connections()

    async def test_the_league_sessions_result_is_posted_once_with_the_club_member_marked(
        self, simcord_env, simcord_bot, stopped_sim
    ):
        sim, client = stopped_sim
        league = sim.world.leagues[0]
        now = datetime.fromtimestamp(sim.clock.time(), UTC)
        race_at = now.replace(hour=league.race_hour, minute=0, second=0, microsecond=0) - timedelta(days=1)
        # What iRacing (the simulator) says, read independently of SimLane: the session and who finished second.
        sessions = await client.league_season_sessions(league.league_id, league.season_id, results_only=True)
        (session,) = [s for s in sessions.sessions if s.launch_at == race_at]
        raced = await client.results_get(session.subsession_id)
        race = raced.main_event()
        assert race is not None
        second = race.results[1]
        assert second.cust_id is not None

        world = await club_world(simcord_env, title="League night")
        await link(world, "alice", second.cust_id)
        await Event.objects.filter(id=world.event.id).aupdate(
            source=EventSource.LEAGUE,
            league_id=league.league_id,
            league_season_id=league.season_id,
            race_at=race_at,
            status=EventStatus.TEAMS_FINAL,
        )
        cog = notices_cog(simcord_bot)
        tick = await cog.tick()
        await cog.tick()
        assert tick.results == 1
        (post,) = results_posts(world)
        embed = post.embeds[0]
        assert embed.title == "🏁 Results: League night"
        text = "\n".join(str(f.value) for f in embed.fields)
        assert f"**★ {second.display_name}**" in text.replace("\\", "")
        assert text.count("★") == 1  # only the club's own driver is marked
        event = await Event.objects.aget(id=world.event.id)
        assert (event.subsession_id, event.status) == (session.subsession_id, EventStatus.FINISHED)
        assert event.results_posted_at is not None
        assert post.mentions == [] and not post.mention_everyone

    async def test_tonights_race_is_posted_once_it_is_over(self, simcord_env, simcord_bot, stopped_sim):
        sim, _client = stopped_sim
        league = sim.world.leagues[0]
        now = datetime.fromtimestamp(sim.clock.time(), UTC)
        race_at = now.replace(hour=league.race_hour, minute=0, second=0, microsecond=0)  # tonight: not raced yet
        world = await club_world(simcord_env)
        await Event.objects.filter(id=world.event.id).aupdate(
            source=EventSource.LEAGUE, league_id=league.league_id, league_season_id=league.season_id, race_at=race_at
        )
        sim.clock.advance((race_at - now).total_seconds() + 30 * 60)  # racing
        assert (await notices_cog(simcord_bot).tick()).results == 0
        sim.clock.advance(40 * 60)  # after the race's slot, results are in
        tick = await notices_cog(simcord_bot).tick()
        assert tick.results == 1 and len(results_posts(world)) == 1

    async def test_an_official_race_no_tracked_driver_ran_is_found_through_irackings_search(
        self, simcord_env, simcord_bot, stopped_sim
    ):
        sim, _client = stopped_sim
        now = datetime.fromtimestamp(sim.clock.time(), UTC)
        # A race that finished an hour or more ago, and a driver in it (read from the simulator's own world).
        raced = [
            (s, m)
            for m in sim.world.members
            for s in sim.world.member_sessions(m, (now - timedelta(hours=6)).timestamp(), now.timestamp())
            if s.end < (now - timedelta(hours=1)).timestamp() and sim.world.split_of(m, s) is not None
        ]
        session, driver = raced[0]
        race_at = datetime.fromtimestamp(session.start, UTC)
        world = await club_world(simcord_env, title="Official night")
        await link(world, "alice", driver.cust_id)
        await Event.objects.filter(id=world.event.id).aupdate(
            source=EventSource.OFFICIAL,
            series_id=session.series.series_id,
            race_at=race_at,
            duration_minutes=session.series.session_minutes,
        )
        assert await Subsession.objects.acount() == 0  # the results pipeline never fetched it
        cog = notices_cog(simcord_bot)
        assert (await cog.tick()).results == 1
        await cog.tick()
        (post,) = results_posts(world)
        expected = session.subsession_id(sim.world.split_of(driver, session) or 0)
        assert str(expected) in (post.embeds[0].footer.text or "")
        assert "★" in "\n".join(str(f.value) for f in post.embeds[0].fields)
        assert await Subsession.objects.filter(subsession_id=expected).aexists()  # stored like the pipeline does


async def test_an_official_event_takes_the_stored_race_its_drivers_were_in(simcord_env, simcord_bot, clock: Clock):
    result, cust_id = sample_result()
    await sync_to_async(subsession_store)(result)
    assert result.start_time is not None and result.series_id is not None
    world = await club_world(simcord_env, title="Official GT3")
    await link(world, "bob", cust_id)
    await Event.objects.filter(id=world.event.id).aupdate(
        source=EventSource.OFFICIAL, series_id=result.series_id, race_at=result.start_time
    )
    clock.at = result.start_time + timedelta(hours=2)
    cog = notices_cog(simcord_bot)
    await cog.tick()
    await cog.tick()
    (post,) = results_posts(world)
    assert post.embeds[0].footer.text is not None and str(result.subsession_id) in post.embeds[0].footer.text
    assert await EventNotice.objects.filter(kind=NoticeKind.RESULTS).acount() == 1


async def test_an_official_event_with_none_of_its_drivers_in_a_stored_race_posts_nothing(
    simcord_env, simcord_bot, clock: Clock
):
    result, _cust_id = sample_result()
    await sync_to_async(subsession_store)(result)
    assert result.start_time is not None
    world = await club_world(simcord_env)
    await Event.objects.filter(id=world.event.id).aupdate(
        source=EventSource.OFFICIAL, series_id=result.series_id, race_at=result.start_time
    )
    clock.at = result.start_time + timedelta(hours=2)
    tick = await notices_cog(simcord_bot).tick()
    assert tick.results == 0 and results_posts(world) == []


class Crash(BaseException):
    """The process dies (raised past every ``except Exception``)."""


class CrashAfterSend(DiscordNoticeSender):
    async def send(self, message: Message, *, nonce: str) -> int:
        await super().send(message, nonce=nonce)
        raise Crash  # the results are out, the ledger was not marked


async def test_a_restart_between_posting_the_results_and_recording_them_posts_once(
    simcord_env, simcord_bot, clock: Clock
):
    result, cust_id = sample_result()
    await sync_to_async(subsession_store)(result)
    assert result.start_time is not None
    world = await club_world(simcord_env, title="Official GT3")
    await link(world, "bob", cust_id)
    await Event.objects.filter(id=world.event.id).aupdate(
        source=EventSource.OFFICIAL, series_id=result.series_id, race_at=result.start_time
    )
    clock.at = result.start_time + timedelta(hours=2)
    notices_cog(simcord_bot).outbox.sender = CrashAfterSend(simcord_bot)
    with pytest.raises(Crash):
        await notices_cog(simcord_bot).tick()
    assert len(results_posts(world)) == 1

    restarted = SimLaneBot(now=clock)
    await simcord_env.restart_bot(restarted)
    clock.at += OutboxPolicy().lease  # the dead process's lease on the post ran out: the restarted one takes it over
    tick = await notices_cog(restarted).tick()
    (post,) = results_posts(world)
    assert tick.report.recovered == 1
    notice = await EventNotice.objects.aget(kind=NoticeKind.RESULTS)
    assert (notice.status, notice.message_id) == (NoticeStatus.SENT, post.id)
    assert (await Event.objects.aget(id=world.event.id)).results_posted_at is not None
