"""Race cards on real posts: the simulator's races, the real bot in simcord, the outbox's exactly-once path."""

from __future__ import annotations

import io
import logging
from datetime import UTC, datetime

import discord
import pytest
import simcord
from asgiref.sync import sync_to_async
from PIL import Image

from simlane.cards import post as cards_post
from simlane.cards.models import DigestPost, GuildCardSettings, HighlightPost, HighlightStatus
from simlane.cards.post import CardMaker, LapFetcher
from simlane.iracing.models import Participant, Subsession
from simlane.iracing.simulator.world import Member
from simlane.results.models import ConfigStatus, GuildResultsConfig, PostedResult, PostStatus

from .conftest import T0, ResultsWorld, handled_errors, posted, reply_text
from .test_e2e import Server

HOURS = 3600.0
pytestmark = pytest.mark.django_db(transaction=True)


def _racing(w: ResultsWorld, races: int) -> Member:
    """A member with at least ``races`` finished races in the first six hours."""
    return next(m for m in w.active_members(5) if len(w.races(m, T0, T0 + 5 * HOURS)) >= races)


def _cards(channel: simcord.ChannelHandle) -> list[tuple[str, str | None]]:
    """(attachment names, embed image url) of each result message."""
    out = []
    for message in channel.history():
        if message.embeds:
            names = ",".join(a.filename for a in message.attachments)
            out.append((names, message.embeds[0].image.url))
    return out


async def test_each_post_carries_its_card_and_laps_are_fetched_once_per_race(results_world: ResultsWorld, simcord_env):
    w = results_world
    shared = _racing(w, 2)
    one, two, plain = Server(simcord_env, "one"), Server(simcord_env, "two"), Server(simcord_env, "plain")
    for server in (one, two, plain):
        await server.setup(shared.display_name)
    await GuildCardSettings.objects.acreate(guild_id=plain.guild.id, cards_enabled=False)
    laps = LapFetcher(w.client)
    w.start_job(cards=CardMaker(laps))
    await w.run_until(T0 + 9 * HOURS)  # the races end in the first five hours; room for the slowest detection path

    races = {sub for sub, _ in posted(one.results)}
    assert len(races) >= 2 and races == {sub for sub, _ in posted(two.results)}
    # Both servers that want cards get one on every post, shown inside the embed; the server that turned them
    # off gets the text embed alone.
    for server in (one, two):
        assert _cards(server.results) == [("race-card.png", "attachment://race-card.png")] * len(races)
    assert _cards(plain.results) == [("", None)] * len(races)
    # The lap chart of each race was fetched once, whatever the number of servers posting it.
    assert w.sim.counters["data:results/lap_chart_data"] == laps.calls.lap_chart == len(races)
    message = next(iter(one.results.history()))
    png = await message.attachments[0].read()
    with Image.open(io.BytesIO(png)) as img:
        assert img.format == "PNG" and img.width == 1000


async def test_a_card_that_cannot_be_drawn_leaves_the_embed_posted_once(
    results_world: ResultsWorld, simcord_env, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    def broken(*_args: object, **_kwargs: object) -> bytes:
        raise ValueError("the font file is unreadable")

    monkeypatch.setattr(cards_post, "card_png", broken)
    w = results_world
    driver = _racing(w, 1)
    one = Server(simcord_env, "one")
    await one.setup(driver.display_name)
    w.start_job(cards=CardMaker(LapFetcher(w.client)))
    logger = logging.getLogger("simlane.cards.post")
    logger.addHandler(caplog.handler)  # the project's logging config does not propagate to the root logger
    try:
        await w.run_until(T0 + 6 * HOURS)
    finally:
        logger.removeHandler(caplog.handler)
    posts = posted(one.results)
    assert posts and len(posts) == len(set(posts))
    assert _cards(one.results) == [("", None)] * len(posts)
    assert await PostedResult.objects.filter(status=PostStatus.POSTED).acount() == len(posts)
    assert "could not be drawn" in caplog.text and "the font file is unreadable" in caplog.text  # with the trace


async def test_results_card_draws_a_tracked_drivers_past_race_in_public(results_world: ResultsWorld, simcord_env):
    w = results_world
    driver = _racing(w, 1)
    one = Server(simcord_env, "one")
    await one.setup(driver.display_name)
    w.clock.advance(T0 + 6 * HOURS - w.clock.time())
    sub = min(w.races(driver, T0, T0 + 5 * HOURS))
    result = await one.member.slash(one.chat, "results card", subsession=sub, driver=str(driver.cust_id))
    assert result.ephemeral and "Posted the race card" in reply_text(result)
    (public,) = [m for m in result.followups if not m.ephemeral]
    assert [a.filename for a in public.attachments] == ["race-card.png"]
    assert public.embeds[0].image.url == "attachment://race-card.png"
    assert str(public.embeds[0].footer.text).startswith(f"Subsession {sub} ")


async def test_results_card_refuses_drivers_this_server_does_not_track(results_world: ResultsWorld, simcord_env):
    w = results_world
    tracked, other = w.active_members(2)
    one = Server(simcord_env, "one")
    await one.setup(tracked.display_name)
    w.clock.advance(T0 + 6 * HOURS - w.clock.time())
    result = await one.member.slash(one.chat, "results card", subsession=123, driver=str(other.cust_id))
    assert result.ephemeral and "not tracked in this server" in reply_text(result)
    assert handled_errors(simcord_env) == ["ResultsCommandError"]
    assert [m for m in one.chat.history() if m.attachments or m.embeds] == []
    assert w.sim.counters["data:results/get"] == 0  # refused before asking iRacing anything


async def test_results_cards_settings_are_for_admins(results_world: ResultsWorld, simcord_env):
    one = Server(simcord_env, "one")
    refused = await one.member.slash(one.chat, "results cards", enabled=False)
    assert refused.ephemeral and not await GuildCardSettings.objects.filter(guild_id=one.guild.id).aexists()
    handled_errors(simcord_env)
    done = await one.admin.slash(one.chat, "results cards", charts=False, theme="light")
    assert "charts: off; colours: light" in reply_text(done)
    row = await GuildCardSettings.objects.aget(guild_id=one.guild.id)
    assert (row.cards_enabled, row.charts_enabled, row.theme) == (True, False, "light")


async def test_a_channel_without_attach_files_still_gets_every_result_as_text(results_world: ResultsWorld, simcord_env):
    w = results_world
    driver = _racing(w, 1)
    one = Server(simcord_env, "one")
    await simcord_env.settle()
    me = w.bot.get_guild(one.guild.id)
    assert me is not None and me.me is not None
    no_files = one.guild.create_text_channel(
        "no-files", overwrites={me.me: discord.PermissionOverwrite(attach_files=False)}
    )
    await simcord_env.settle()
    assert "will be posted in" in reply_text(await one.admin.slash(one.chat, "results channel", channel=no_files))
    assert "Tracking" in reply_text(await one.member.slash(one.chat, "track", driver=driver.display_name))
    w.start_job(cards=CardMaker(LapFetcher(w.client)))
    await w.run_until(T0 + 6 * HOURS)
    posts = posted(no_files)
    assert posts and _cards(no_files) == [("", None)] * len(posts)
    config = await GuildResultsConfig.objects.aget(guild_id=one.guild.id)
    assert config.status == ConfigStatus.OK  # the channel is not given up on


def _podiums(subsession_ids: set[int], cust_id: int) -> set[int]:
    """Ground truth from the stored results: the races where the driver finished in the top three of their class."""
    out = set()
    for sub in Subsession.objects.filter(subsession_id__in=subsession_ids):
        multiclass = len(sub.payload.get("car_classes") or []) > 1
        for p in Participant.objects.filter(subsession=sub, simsession_number=0, cust_id=cust_id):
            row = p.team or p
            position = row.finish_position_in_class if multiclass else row.finish_position
            if 0 <= position <= 2:
                out.add(sub.subsession_id)
    return out


async def test_podiums_also_go_to_the_highlights_channel_exactly_once(results_world: ResultsWorld, simcord_env):
    w = results_world
    drivers = w.active_members(4)
    one = Server(simcord_env, "one")
    await one.setup(*(d.display_name for d in drivers))
    podium_channel = one.guild.create_text_channel("podiums")
    await simcord_env.settle()
    reply = await one.admin.slash(one.chat, "results highlights", channel=podium_channel, podiums=True)
    assert "Podiums will also be posted in" in reply_text(reply)
    w.start_job(cards=CardMaker(LapFetcher(w.client)))
    await w.run_until(T0 + 12 * HOURS)
    w.start_job(cards=CardMaker(LapFetcher(w.client)))  # a restart: nothing is posted twice
    await w.run_until(T0 + 12 * HOURS + 600)

    results = posted(one.results)
    highlights = posted(podium_channel)
    assert results and len(highlights) == len(set(highlights))
    want = set()
    for d in drivers:
        want |= {(sub, d.cust_id) for sub in await sync_to_async(_podiums)({s for s, _ in results}, d.cust_id)}
    assert want, "no podium in the window: pick a longer one"
    # The podium posts are exactly the podiums, each a copy of its result post, posted once, with the card.
    done = {(h.subsession_id, h.cust_id) async for h in HighlightPost.objects.filter(status=HighlightStatus.POSTED)}
    assert done == want and len(highlights) == len(want)
    assert set(highlights) <= set(results)
    assert all(m.embeds[0].author.name == "🏆 Podium" and m.attachments for m in podium_channel.history())


async def test_the_weekly_digest_is_posted_once_a_week_at_the_servers_time(results_world: ResultsWorld, simcord_env):
    w = results_world
    drivers = w.active_members(3)
    one = Server(simcord_env, "one")
    await one.setup(*(d.display_name for d in drivers))
    # T0 is a Tuesday noon: the digest is asked for on Wednesdays at 06:00 UTC.
    reply = await one.admin.slash(one.chat, "results digest", weekday=2, hour=6)
    assert "every Wednesday at 06:00 UTC" in reply_text(reply)
    w.start_job(cards=CardMaker(LapFetcher(w.client)))
    await w.run_until(T0 + 17 * HOURS)  # Wednesday 05:00: not yet
    assert await DigestPost.objects.acount() == 0
    await w.run_until(T0 + 19 * HOURS)  # past 06:00
    w.start_job(cards=CardMaker(LapFetcher(w.client)))  # a restart right after: not posted twice
    await w.run_until(T0 + 20 * HOURS)

    digests = [m for m in one.results.history() if m.embeds and "Weekly digest" in str(m.embeds[0].title)]
    assert len(digests) == 1
    (digest,) = digests
    assert [a.filename for a in digest.attachments] == ["weekly-digest.png"]
    # The counts are the posted results of the week before 06:00 Wednesday, from the ledger and the stored races.
    due = datetime(2026, 3, 4, 6, 0, tzinfo=UTC)
    posts = [p async for p in PostedResult.objects.filter(status=PostStatus.POSTED, race_ended_at__lt=due)]
    assert posts and f"**{len(posts)}** races" in str(digest.embeds[0].description)
    png = await digest.attachments[0].read()
    with Image.open(io.BytesIO(png)) as img:
        assert img.width == 1000


async def test_highlights_and_digest_refuse_a_channel_where_embeds_cannot_go(results_world: ResultsWorld, simcord_env):
    w = results_world
    one = Server(simcord_env, "one")
    await simcord_env.settle()
    me = w.bot.get_guild(one.guild.id)
    assert me is not None and me.me is not None
    no_embeds = one.guild.create_text_channel(
        "no-embeds", overwrites={me.me: discord.PermissionOverwrite(embed_links=False)}
    )
    await simcord_env.settle()
    for command, options in (
        ("results highlights", {"podiums": True}),
        ("results digest", {"weekday": 2, "hour": 18}),
    ):
        reply = await one.admin.slash(one.chat, command, channel=no_embeds, **options)
        assert reply.ephemeral
        assert reply_text(reply) == f"I can't post in <#{no_embeds.id}>: I need Embed Links there."
    assert handled_errors(simcord_env) == ["ResultsCommandError", "ResultsCommandError"]
    # Nothing was saved: no second channel, no digest.
    assert (
        not await GuildCardSettings.objects.filter(guild_id=one.guild.id)
        .exclude(highlights_channel_id=None, digest_weekday=None)
        .aexists()
    )
