"""``simlane sync_iracing_series``: seasons and their schedules (race weeks, session times), idempotently."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from simlane.iracing.client import IRacingClient, IRacingError
from simlane.iracing.services import client_config_from_settings, run_with_client
from simlane.iracing.sync.jobs import sync_season_schedule, sync_seasons
from simlane.iracing.sync.seasons import SeasonSyncSummary

from ..progress import progress_bar


class Command(BaseCommand):
    help = "Sync iRacing seasons with their schedules: current and future ones, one quarter, or one season."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="only this season year (with --quarter)")
        parser.add_argument("--quarter", type=int, choices=[1, 2, 3, 4], help="only this quarter (with --year)")
        parser.add_argument("--season", type=int, help="only this (past) season's schedule, by season_id")
        parser.add_argument("--refresh", action="store_true", help="bypass the cache and ask iRacing")
        parser.add_argument("--headless", action="store_true", help="no progress bar (nightly jobs, logs)")

    def handle(self, *args: Any, **opts: Any) -> None:
        if not client_config_from_settings().has_credentials:
            raise CommandError("No iRacing credentials: set IRACING_* in .env (see README.md).")
        if bool(opts["year"]) != bool(opts["quarter"]):
            raise CommandError("--year and --quarter go together.")
        started = time.perf_counter()
        try:
            s = run_with_client(lambda client: self._sync(client, opts))
        except IRacingError as exc:
            raise CommandError(f"iRacing: {exc}. Nothing was half-written: each step is one transaction.") from exc
        self.stdout.write(
            f"Done in {time.perf_counter() - started:.1f} s: seasons created {s.seasons.created}, updated "
            f"{s.seasons.updated}, unchanged {s.seasons.unchanged}, retired {s.seasons.retired}; race weeks created "
            f"{s.race_weeks.created}, updated {s.race_weeks.updated}; schedules unchanged {s.schedules_skipped}; "
            f"session times {s.session_times}; tracks synced {s.tracks_synced}; API calls {s.api_calls}, "
            f"cache hits {s.cache_hits}"
        )

    async def _sync(self, client: IRacingClient, opts: dict[str, Any]) -> SeasonSyncSummary:
        if opts["season"]:
            return await sync_season_schedule(client, opts["season"], refresh=opts["refresh"])
        bar = progress_bar(self.stderr, headless=opts["headless"])
        return await sync_seasons(
            client, refresh=opts["refresh"], year=opts["year"], quarter=opts["quarter"], progress=bar
        )
