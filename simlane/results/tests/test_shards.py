"""A bot process holding some shards posts for its own servers only, and says so on its health port."""

from __future__ import annotations

import json

import httpx
import pytest

from simlane.discord_bot.gateway import ShardedSimLaneBot, held_shards, shard_of
from simlane.discord_bot.publisher import DiscordPublisher
from simlane.iracing import aio as iracing_aio
from simlane.iracing.client.models import SubsessionResult
from simlane.ops.health_server import health_port
from simlane.ops.readiness import Check
from simlane.results import aio
from simlane.results.models import GuildResultsConfig, PostedResult, PostStatus
from simlane.results.poller import Outbox, SubsessionFetcher
from simlane.results.poller.ingest import participants
from simlane.results.services import PostClaim

from .conftest import ResultsWorld, posted

pytestmark = pytest.mark.django_db(transaction=True)
SHARDS = 2


@pytest.fixture
def simcord_bot(results_world: ResultsWorld) -> ShardedSimLaneBot:
    # The process that holds shard 0 of two (another process would hold shard 1).
    results_world.bot = ShardedSimLaneBot(
        iracing=results_world.client, now=results_world.now, shard_count=SHARDS, shard_ids=[0]
    )
    return results_world.bot


async def test_a_process_posts_only_for_the_servers_of_its_shards(results_world, simcord_env, fixtures_dir):
    w = results_world
    guilds = [simcord_env.create_guild(name=f"club {n}", shard_id=n % SHARDS) for n in range(8)]
    by_shard = {s: [g for g in guilds if shard_of(g.id, SHARDS) == s] for s in range(SHARDS)}
    assert by_shard[0] and by_shard[1]  # servers on both shards
    channels = {g.id: g.create_text_channel("results") for g in guilds}

    result = SubsessionResult.model_validate(json.loads((fixtures_dir / "result.json").read_text(encoding="utf-8")))
    await iracing_aio.subsession_store(result)
    driver = participants(result)[0]
    for g in guilds:
        await GuildResultsConfig.objects.acreate(guild_id=g.id, channel_id=channels[g.id].id)
    await aio.posts_claim(
        claims=[PostClaim(g.id, result.subsession_id, driver, channels[g.id].id, None) for g in guilds]
    )

    assert held_shards(w.bot) == (SHARDS, frozenset({0}))
    outbox = Outbox(DiscordPublisher(w.bot), SubsessionFetcher(w.client), now=w.now, shards=lambda: held_shards(w.bot))
    report = await outbox.drain()

    assert report.posted == len(by_shard[0])
    for g in by_shard[0]:
        assert [sub for sub, _ in posted(channels[g.id])] == [result.subsession_id]
    for g in by_shard[1]:  # left for the process holding shard 1, untouched
        assert posted(channels[g.id]) == []
    waiting = PostedResult.objects.filter(status=PostStatus.CLAIMED, attempts=0)
    assert {p.guild_id async for p in waiting} == {g.id for g in by_shard[1]}

    def gateway() -> Check:
        return Check("discord_gateway", w.bot.is_ready(), f"shards {sorted(w.bot.shards)} of {w.bot.shard_count}")

    async with health_port("bot", "127.0.0.1", 0, gateway) as url, httpx.AsyncClient(base_url=url or "") as http:
        assert (await http.get("/healthz")).json() == {"alive": True}
        ready = await http.get("/readyz")
        assert ready.status_code == 200, ready.text
        assert ready.json()["checks"]["discord_gateway"] == {"ok": True, "required": True, "detail": "shards [0] of 2"}
        metrics = (await http.get("/metrics")).text
        assert f'simlane_posts{{status="claimed"}} {len(by_shard[1])}.0' in metrics
        assert f'simlane_posts{{status="posted"}} {len(by_shard[0])}.0' in metrics
