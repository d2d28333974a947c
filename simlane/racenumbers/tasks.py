"""Celery tasks for car numbers: thin, each calling one service."""

from __future__ import annotations

from datetime import UTC, datetime

from celery import shared_task
from django.utils import timezone

from simlane.iracing.services import run_with_client

from .league import auto_sync_due
from .services import trade_expire_due


# Each server's failure is caught and reported by auto_sync_due, so there is nothing to retry: the next run (a
# minute later) tries every due server again.
@shared_task(time_limit=5 * 60, soft_time_limit=4 * 60)
def auto_sync_numbers() -> dict[str, int]:
    """Sync the league roster of every server whose auto-sync interval has passed."""
    done = run_with_client(lambda client: auto_sync_due(client=client, now=datetime.now(UTC)))
    failed = sum(isinstance(report, str) for report in done.values())
    return {"synced": len(done) - failed, "failed": failed}


@shared_task(time_limit=60, soft_time_limit=50)
def expire_trades_task() -> int:
    """Expire swap offers nobody answered in time (answering one also expires it, so this only tidies the table)."""
    return trade_expire_due(now=timezone.now())
