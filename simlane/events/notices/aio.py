"""The async side of the notices' ORM boundary: awaitable facades over the planner, ledger and results finder."""

from __future__ import annotations

from asgiref.sync import sync_to_async

from . import ledger, planner, prefs, results

notices_plan = sync_to_async(planner.notices_plan)
notices_due = sync_to_async(ledger.notices_due)
notice_lease = sync_to_async(ledger.notice_lease)
notice_attempt_begin = sync_to_async(ledger.notice_attempt_begin)
notice_mark_sent = sync_to_async(ledger.notice_mark_sent)
notice_defer = sync_to_async(ledger.notice_defer)
notice_fail = sync_to_async(ledger.notice_fail)
events_awaiting_results = sync_to_async(results.events_awaiting_results)
official_subsession = sync_to_async(results.official_subsession)
event_driver_ids = sync_to_async(results.event_driver_ids)
results_claim = sync_to_async(results.results_claim)
notice_prefs_get = sync_to_async(prefs.notice_prefs_get)
notice_prefs_update = sync_to_async(prefs.notice_prefs_update)
