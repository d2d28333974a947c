"""The async side of the ops app's ORM boundary: the bot's health server reads readiness and metrics here."""

from __future__ import annotations

from asgiref.sync import sync_to_async

from . import metrics, readiness

readiness_report = sync_to_async(readiness.readiness)
metrics_render = sync_to_async(metrics.render)
