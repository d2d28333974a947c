"""`simlane bench discord` at a tiny size: the sharded bot starts in simcord with every server cached on its shard,
every concurrent slash command gets SimLane's real answer, and the figures are printed with the summary last."""

from __future__ import annotations

import pytest

from simlane.bench.discord import COMMANDS, DiscordScenario, run_discord_bench, summary_lines
from simlane.bench.management.commands.bench import Command

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_small_sharded_run_answers_every_concurrent_command_and_prints_the_figures():
    # The command's own parser, at a tiny size; the command only adds a throw-away database, which the test database
    # already is.
    opts = (
        Command()
        .create_parser("simlane", "bench")
        .parse_args(["discord", "--guilds", "20", "--interactions", "10", "--rounds", "2"])
    )
    scenario = DiscordScenario(
        guilds=opts.guilds, shards=opts.shard_count, interactions=opts.interactions, rounds=opts.rounds
    )
    assert scenario.shards == 4 and scenario.commands == COMMANDS

    r = run_discord_bench(scenario, progress=lambda _line: None)

    # Every server reached the bot, on all four shards of the one process, with the command tree synced.
    assert (r.cached_guilds, r.shards_ready) == (20, 4)
    assert r.synced_commands > 20
    # 2 rounds of 10 at once: each answered by the command itself, not by an error reply.
    assert r.unanswered == 0 and r.dispatched == 20
    assert r.errors == []
    assert {name: len(v) for name, v in r.latencies.items()} == {"results status": 7, "tracked": 7, "event list": 6}
    assert r.answers["results status"].startswith("Channel: <#")
    assert "Tracked drivers: 2" in r.answers["results status"]  # the rows put in the database were read
    assert r.answers["tracked"] == "Tracked drivers (2)"
    assert r.answers["event list"].startswith("No upcoming events.")  # the member's club was found: a member's answer
    assert r.ready_seconds <= r.startup_seconds and r.peak_rss_mb >= r.rss_ready_mb > 0

    lines = summary_lines(r)
    assert any(line.startswith("/results status    7 answered: p50") for line in lines)
    assert lines[-1].startswith("discord: 20 servers, 4 shards; ready in ")
    assert "slash p99 " in lines[-1] and lines[-1].endswith("(10 concurrent); unanswered 0")
