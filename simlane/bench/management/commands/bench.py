"""``simlane bench client``: benchmarks that run SimLane and a baseline in one run and print the ratio."""

from __future__ import annotations

import statistics
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from simlane.bench.client import run_client_bench
from simlane.bench.db import throwaway_commits
from simlane.bench.poller import T0, Scenario, StrategyResult, run_poller_bench


class Command(BaseCommand):
    help = "Benchmarks against the local iRacing simulator. The last line printed is the ratio."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="bench", required=True)
        client = sub.add_parser("client", help="SimLane's iRacing client vs iracingdataapi 1.4.4 on results/get")
        client.add_argument("--results", type=int, default=60, help="results/get payloads to fetch (default 60)")
        client.add_argument("--latency", type=float, default=0.08, help="seconds per request (default 0.08)")
        client.add_argument("--concurrency", type=int, default=4, help="SimLane's concurrency limit (default 4)")

        poller = sub.add_parser(
            "poller", help="SimLane's results poller vs ir2dis's per-driver algorithm (Data API calls)"
        )
        poller.add_argument("--drivers", type=int, default=1000, help="tracked drivers (default 1000)")
        poller.add_argument("--guilds", type=int, default=50, help="Discord servers tracking them (default 50)")
        poller.add_argument("--hours", type=float, default=24.0, help="simulated hours measured (default 24)")
        poller.add_argument("--seed", type=int, default=1, help="simulated world (default 1)")
        poller.add_argument(
            "--only", choices=("simlane", "baseline"), default=None, help="run one strategy (default: both)"
        )
        poller.add_argument(
            "--accounts", type=int, default=1, help="iRacing accounts, each with its own rate budget (default 1)"
        )
        poller.add_argument(
            "--rate-limit", type=int, default=240, help="Data API requests a minute per account (default 240)"
        )
        poller.add_argument(
            "--capacity",
            action="store_true",
            help="find the most drivers SimLane serves at p95 <= 10 min (sizes double from --drivers, then bisect)",
        )
        poller.add_argument(
            "--max-drivers", type=int, default=200_000, help="the largest size --capacity tries (default 200000)"
        )

        matching = sub.add_parser("matching", help="member matching: precision and recall on a simulated server")
        matching.add_argument("--members", type=int, default=1000, help="Discord members (default 1000)")
        matching.add_argument("--world", type=int, default=1200, help="iRacing members simulated (default 1200)")
        matching.add_argument("--seed", type=int, default=1, help="world and server draw (default 1)")

        render = sub.add_parser("render", help="race cards: render time and PNG size (recorded and simulated)")
        render.add_argument("--races", type=int, default=5, help="simulated races per kind (default 5)")
        render.add_argument("--repeat", type=int, default=3, help="renders per card (default 3)")

        chaos = sub.add_parser(
            "chaos", help="beat, Celery workers and the bot on PostgreSQL and Redis under faults and kills"
        )
        chaos.add_argument("--drivers", type=int, default=2000, help="tracked drivers, most active first (2000)")
        chaos.add_argument("--guilds", type=int, default=200, help="Discord servers tracking them (default 200)")
        chaos.add_argument("--hours", type=float, default=4.0, help="simulated hours measured (default 4)")
        chaos.add_argument("--workers", type=int, default=3, help="Celery workers (default 3)")
        chaos.add_argument("--speed", type=float, default=60.0, help="simulated seconds per real second (60)")
        chaos.add_argument("--fault-rate", type=float, default=0.1, help="share of requests failing (0.1)")
        chaos.add_argument("--kill-every", type=float, default=5.0, help="real seconds between kills (default 5)")
        chaos.add_argument("--partitions", type=int, default=8, help="partitions of the tracked drivers (8)")
        chaos.add_argument("--seed", type=int, default=1, help="simulated world, faults and kills (default 1)")
        chaos.add_argument(
            "--redis-url",
            default="redis://127.0.0.1:6379/9",
            help="the broker and rate budget, a Redis database of the run's own: it is emptied (default db 9)",
        )
        chaos.add_argument(
            "--scaling",
            default="",
            help="worker counts to compare on the same workload without faults or kills, e.g. 1,2,4",
        )
        chaos.add_argument(
            "--tail-hours", type=float, default=2.25, help="simulated hours after the window for late posts (2.25)"
        )

        dsc = sub.add_parser(
            "discord", help="the sharded bot in simcord: start-up, memory, concurrent slash-command latency"
        )
        dsc.add_argument("--guilds", type=int, default=2500, help="servers (default 2500)")
        dsc.add_argument("--shard-count", type=int, default=4, help="shards, all held by this process (default 4)")
        dsc.add_argument("--interactions", type=int, default=100, help="slash commands in flight at once (default 100)")
        dsc.add_argument("--rounds", type=int, default=5, help="rounds of concurrent commands (default 5)")
        dsc.add_argument("--members", type=int, default=3, help="members per server (default 3)")
        dsc.add_argument("--channels", type=int, default=2, help="text channels per server (default 2)")

        sync = sub.add_parser("sync", help="bulk upserts vs per-row update_or_create on the recorded catalogue")
        sync.add_argument("--fixtures", default=None, help="recorded responses (default: the ones in the package)")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["bench"] == "render":
            self._render(opts)
            return
        if opts["bench"] == "sync":
            self._sync(opts)
            return
        if opts["bench"] == "discord":
            self._discord(opts)
            return
        if opts["bench"] == "matching":
            self._matching(opts)
            return
        if opts["bench"] == "poller":
            self._poller(opts)
            return
        if opts["bench"] == "chaos":
            self._chaos(opts)
            return
        result = run_client_bench(
            results=opts["results"],
            latency=opts["latency"],
            concurrency=opts["concurrency"],
            progress=self.stdout.write,
        )
        self.stdout.write(
            f"SimLane:        {result.simlane_seconds:6.2f} s  ({result.simlane_requests} /data requests)\n"
            f"iracingdataapi: {result.baseline_seconds:6.2f} s  ({result.baseline_requests} /data requests)\n"
            f"429s seen: {result.rate_limited}"
        )
        self.stdout.write(f"ratio (iracingdataapi / SimLane wall time): {result.ratio:.2f}x")

    def _poller(self, opts: dict[str, Any]) -> None:
        from django.db import connection

        if opts["accounts"] < 1 or opts["rate_limit"] < 1 or opts["drivers"] < 1:
            raise CommandError("--drivers, --accounts and --rate-limit must be at least 1")
        scenario = Scenario(
            drivers=opts["drivers"],
            guilds=opts["guilds"],
            hours=opts["hours"],
            seed=opts["seed"],
            accounts=opts["accounts"],
            rate_limit=opts["rate_limit"],
        )
        if opts["capacity"]:
            self._capacity(scenario, opts)
            return
        self.stdout.write(
            f"{scenario.drivers} drivers in {scenario.guilds} servers, {scenario.hours:g} simulated hours "
            f"(+{scenario.tail_hours:g} h to let late detections land, after {scenario.warmup_hours:.1f} h of "
            f"warm-up), poll interval {scenario.interval:g} s, {scenario.accounts} account(s) of "
            f"{scenario.rate_limit} calls a minute"
        )
        # A throw-away database: the benchmark never touches SimLane's own data.
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        throwaway_commits()
        try:
            results = run_poller_bench(scenario, progress=self.stdout.write, only=opts["only"])
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        two = scenario.interval * 2
        for r in results:
            self.stdout.write(
                f"{r.name:9s} {r.calls:7d} /data calls, {r.posted:5d} posted ({r.expected} expected), "
                f"{r.calls_per_post:7.1f} calls/post ({r.calls_per_post_with_charts:.1f} with charts), "
                f"delay p50 {StrategyResult.pct(r.delays, 50):5.0f} s "
                f"p95 {StrategyResult.pct(r.delays, 95):5.0f} s, p95 for drivers who raced in the previous day "
                f"{StrategyResult.pct(r.delays_recent, 95):5.0f} s (two intervals: {two:.0f} s), max "
                f"{max(r.delays, default=float('nan')):5.0f} s, duplicates {r.duplicates}, misses {r.misses}, "
                f"wall {r.wall_seconds:.0f} s ({r.warmup_calls} calls in the warm-up, not counted)"
            )
            for delay, sub, cust in r.slowest[:3]:
                self.stdout.write(f"  slowest: {delay:.0f} s, subsession {sub}, driver {cust}")
            for end, sub, cust in r.missed:
                window_end = (T0.timestamp() + scenario.hours * 3600 - end) / 60
                self.stdout.write(
                    f"  missed: subsession {sub}, driver {cust}, ended {window_end:.0f} min before the window's end"
                )
        by_name = {r.name: r for r in results}
        if len(by_name) == 2:
            ratio = by_name["baseline"].calls_per_post / by_name["SimLane"].calls_per_post
            self.stdout.write(f"ratio (baseline / SimLane Data API calls per posted result): {ratio:.2f}x")
        # The last line(s): one summary per strategy, SimLane's last.
        for r in sorted(results, key=lambda r: r.name == "SimLane"):
            self.stdout.write(
                f"{r.name.lower()}: calls per posted result {r.calls_per_post:.2f} "
                f"({r.calls_per_post_with_charts:.2f} with race-card charts); p95 delay "
                f"{StrategyResult.pct(r.delays, 95):.0f} s; duplicates {r.duplicates}; misses {r.misses}"
            )

    def _chaos(self, opts: dict[str, Any]) -> None:
        from django.db import connection

        from simlane.bench.chaos import ChaosOptions, chaos_lines

        if connection.vendor != "postgresql":
            raise CommandError(
                "The chaos benchmark runs Celery workers, beat and the bot on one database: set DATABASE_URL to a "
                "PostgreSQL server (it creates and drops a throw-away database there)."
            )
        options = ChaosOptions(
            drivers=opts["drivers"],
            guilds=opts["guilds"],
            hours=opts["hours"],
            workers=opts["workers"],
            speed=opts["speed"],
            fault_rate=opts["fault_rate"],
            kill_every=opts["kill_every"],
            partitions=opts["partitions"],
            seed=opts["seed"],
            tail_hours=opts["tail_hours"],
            redis_url=opts["redis_url"],
        )
        if opts["scaling"]:
            self._scaling(options, [int(n) for n in opts["scaling"].split(",")])
            return
        report = self._chaos_once(options)
        for line in chaos_lines(report):
            self.stdout.write(line)
        if report.duplicates or report.misses:
            raise CommandError(f"{report.duplicates} duplicates and {report.misses} misses (the goal is 0 and 0)")

    def _chaos_once(self, options: Any) -> Any:
        """One chaos run on a throw-away database of its own."""
        import asyncio

        from django.db import connection

        from simlane.bench.chaos import run_chaos

        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            return asyncio.run(run_chaos(options, progress=self.stdout.write))
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)

    def _scaling(self, base: Any, counts: list[int]) -> None:
        """The same workload with each worker count, without faults or kills: throughput side by side."""
        from dataclasses import replace

        from simlane.bench.chaos import BUDGET_PER_MINUTE

        rows = []
        for n in counts:
            self.stdout.write(f"--- {n} worker(s)")
            report = self._chaos_once(replace(base, workers=n, kill_every=0.0, fault_rate=0.0))
            rows.append((n, report))
        self.stdout.write(
            "| workers | /data calls a simulated minute | posts a simulated minute | every driver searched once "
            "after | p95 delay | duplicates | misses |\n| --- | --- | --- | --- | --- | --- | --- |"
        )
        for n, r in rows:
            calls, posts = r.per_minute()
            self.stdout.write(
                f"| {n} | {calls:.1f} | {posts:.2f} | {r.backlog_seconds:.0f} s | {r.p95():.0f} s | {r.duplicates} "
                f"| {r.misses} |"
            )
        budget = BUDGET_PER_MINUTE
        top = max(r.per_minute()[0] for _, r in rows)
        bound = (
            f"the iRacing budget ({top:.0f} of {budget} calls a simulated minute)"
            if top >= 0.9 * budget
            else f"not the iRacing budget ({top:.0f} of {budget} calls a simulated minute): the workload or the "
            "machine's cores (the p95 delay shows which)"
        )
        figures = ", ".join(f"{n} worker(s) p95 {r.p95():.0f} s" for n, r in rows)
        self.stdout.write(f"scaling: {figures}; bound: {bound}")

    def _discord(self, opts: dict[str, Any]) -> None:
        from django.db import connection

        from simlane.bench.discord import DiscordScenario, run_discord_bench, summary_lines

        if min(opts["guilds"], opts["shard_count"], opts["interactions"], opts["rounds"], opts["members"]) < 1:
            raise CommandError("--guilds, --shard-count, --interactions, --rounds and --members must be at least 1")
        if opts["channels"] < 1:
            raise CommandError("--channels must be at least 1")
        scenario = DiscordScenario(
            guilds=opts["guilds"],
            shards=opts["shard_count"],
            interactions=opts["interactions"],
            rounds=opts["rounds"],
            members=opts["members"],
            channels=opts["channels"],
        )
        self.stdout.write(
            f"ShardedSimLaneBot holding shards 0-{scenario.shards - 1} of {scenario.shards} in one process, in "
            f"simcord (offline Discord in memory: no network, no rate limits); wall time; commands "
            + ", ".join(f"/{c}" for c in scenario.commands)
        )
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            result = run_discord_bench(scenario, progress=self.stdout.write)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        for line in summary_lines(result):
            self.stdout.write(line)

    def _render(self, opts: dict[str, Any]) -> None:
        from simlane.bench.render import DISCORD_LIMIT, run_render_bench

        runs = run_render_bench(races=opts["races"], repeat=opts["repeat"], progress=self.stdout.write)
        for r in runs:
            self.stdout.write(
                f"{r.name:9s} {len(r.sizes):3d} cards: render p50 {r.pct(50) * 1000:5.0f} ms p95 "
                f"{r.pct(95) * 1000:5.0f} ms max {max(r.seconds) * 1000:5.0f} ms; PNG median "
                f"{statistics.median(r.sizes) / 1024:4.0f} KB max {max(r.sizes) / 1024:4.0f} KB"
            )
        largest = max(max(r.sizes) for r in runs)
        p95 = max(r.pct(95) for r in runs)
        self.stdout.write(
            f"render: p95 {p95 * 1000:.0f} ms; largest card {largest / 1024:.0f} KB = "
            f"{largest / DISCORD_LIMIT:.1%} of Discord's 10 MiB"
        )

    def _capacity(self, scenario: Scenario, opts: dict[str, Any]) -> None:
        from django.db import connection

        from simlane.bench.poller import run_capacity

        self.stdout.write(
            f"capacity: {scenario.accounts} account(s) of {scenario.rate_limit} calls a minute, "
            f"{scenario.hours:g} simulated hours a probe, goal p95 <= 600 s and no misses"
        )
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        throwaway_commits()
        try:
            best, probes = run_capacity(
                scenario, start=opts["drivers"], limit=opts["max_drivers"], progress=self.stdout.write
            )
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        if best is None:
            self.stdout.write(f"capacity: below {opts['drivers']} drivers (the first probe missed the goal)")
        elif all(p.drivers <= best for p in probes):
            self.stdout.write(
                f"capacity: at least {best} drivers on {scenario.accounts} account(s) (the largest tried)"
            )
        else:
            self.stdout.write(f"capacity: {best} drivers on {scenario.accounts} account(s)")

    def _sync(self, opts: dict[str, Any]) -> None:
        from pathlib import Path

        from django.db import connection

        from simlane.bench.sync import run_sync_bench
        from simlane.iracing.simulator.replay import RECORDED_DIR

        fixtures = Path(opts["fixtures"]) if opts["fixtures"] else RECORDED_DIR
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            runs = run_sync_bench(fixtures)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        for r in runs:
            self.stdout.write(
                f"{r.name:24s} {r.rows} rows: first sync {r.queries_first:5d} queries {r.seconds_first:6.2f} s, "
                f"re-sync {r.queries_again:5d} queries {r.seconds_again:6.2f} s"
            )
        bulk, naive = runs
        self.stdout.write(
            f"ratio (naive / SimLane database queries, first sync): {naive.queries_first / bulk.queries_first:.1f}x"
        )

    def _matching(self, opts: dict[str, Any]) -> None:
        from django.db import connection

        from simlane.bench.matching import run_matching_bench

        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            r = run_matching_bench(members=opts["members"], world_members=opts["world"], seed=opts["seed"])
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(r.kinds.items()))
        self.stdout.write(
            f"server: {r.members} Discord members ({kinds}); iRacing: simulated world of {r.world_members} members "
            f"(seed {opts['seed']}), league 7001 roster of {r.roster}\n"
            f"iRacing calls: 1 league roster + {r.lookups} lookup/drivers ({r.simulated_seconds / 60:.1f} min of "
            f"iRacing's 240/min budget), {r.unchecked} members left unchecked; wall time {r.wall_seconds:.1f} s\n"
            f"automatic proposals (one account for one member, nobody else proposed it): {r.proposals}, "
            f"correct {r.correct}\n"
            f"conflicts listed: {dict(r.conflicts)}\n"
            f"members whose nickname carries their iRacing name: {r.name_members}; of them {r.shared_names} share "
            f"that name with another iRacing member ({r.shared_as_conflict} listed as conflicts, never proposed), "
            f"{r.identifiable} have a name of their own\n"
            f"strict recall (correct proposals / every name-carrying member): {r.name_found}/{r.name_members} = "
            f"{r.name_found / max(1, r.name_members):.1%}\n"
            f"nicknames without the name's accents: {r.no_accents_found}/{r.no_accents} proposed correctly (found "
            "only through the league roster: iRacing's lookup matches accents as written)"
        )
        for nickname, truth, proposed in r.wrong[:10]:
            self.stdout.write(f"  wrong: {nickname!r} is {truth}, proposed {proposed}")
        self.stdout.write(
            f"precision = correct automatic proposals / automatic proposals = {r.correct}/{r.proposals} = "
            f"{r.precision:.2%} (goal >= 99%)\n"
            f"recall = correct automatic proposals / members whose nickname carries their own iRacing name = "
            f"{r.found}/{r.identifiable} = {r.recall:.2%} (goal >= 95%)"
        )
