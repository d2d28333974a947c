"""Race cards on real posts: the simulator's races, the real bot in simcord, the outbox's exactly-once path."""

from __future__ import annotations

import io
import logging

import pytest
from PIL import Image

from simlane.cards import post as cards_post
from simlane.cards.models import GuildCardSettings
from simlane.cards.post import CardMaker, LapFetcher
from simlane.iracing.simulator.world import Member
from simlane.results.models import PostedResult, PostStatus

from .conftest import T0, ResultsWorld, posted
from .test_e2e import Server

HOURS = 3600.0
pytestmark = pytest.mark.django_db(transaction=True)


def _racing(w: ResultsWorld, races: int) -> Member:
    """A member with at least ``races`` finished races in the first six hours."""
    return next(m for m in w.active_members(5) if len(w.races(m, T0, T0 + 5 * HOURS)) >= races)


def _cards(channel) -> list[tuple[str, str | None]]:  # type: ignore[no-untyped-def]
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
    await w.run_until(T0 + 6 * HOURS)

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
