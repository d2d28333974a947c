"""Celery tasks for car numbers: thin, each calling one service."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from .services import trade_expire_due


@shared_task(time_limit=60, soft_time_limit=50)
def expire_trades_task() -> int:
    """Expire swap offers nobody answered in time (answering one also expires it, so this only tidies the table)."""
    return trade_expire_due(now=timezone.now())
