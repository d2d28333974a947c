"""``simlane sync_iracing_reference``: cars, car classes, tracks and series into the database, idempotently."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from simlane.iracing.client import IRacingError
from simlane.iracing.services import client_config_from_settings, run_with_client
from simlane.iracing.sync.jobs import sync_reference

from ..progress import progress_bar


class Command(BaseCommand):
    help = "Sync iRacing's cars, car classes, tracks and series (cached for IRACING_CACHE_TTL; --refresh bypasses)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--refresh", action="store_true", help="bypass the cache and ask iRacing")
        parser.add_argument("--headless", action="store_true", help="no progress bar (nightly jobs, logs)")

    def handle(self, *args: Any, **opts: Any) -> None:
        if not client_config_from_settings().has_credentials:
            raise CommandError("No iRacing credentials: set IRACING_* in .env (see README.md).")
        started = time.perf_counter()
        bar = progress_bar(self.stderr, headless=opts["headless"])
        try:
            summary = run_with_client(lambda client: sync_reference(client, refresh=opts["refresh"], progress=bar))
        except IRacingError as exc:
            raise CommandError(f"iRacing: {exc}. Nothing was half-written: each table is one transaction.") from exc
        total = summary.total
        for endpoint, c in summary.counts.items():
            self.stdout.write(
                f"  {endpoint:<13} created {c.created:4d}  updated {c.updated:4d}  unchanged {c.unchanged:4d}  "
                f"retired {c.retired:4d}"
            )
        self.stdout.write(
            f"Done in {time.perf_counter() - started:.1f} s: created {total.created}, updated {total.updated}, "
            f"unchanged {total.unchanged}, retired {total.retired}; API calls {summary.api_calls}, "
            f"cache hits {summary.cache_hits}"
        )
