"""The notice ledger's reads and writes around a send: what is due, an attempt counted before sending, the mark."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import F, Q

from simlane.core.leases import lease_take
from simlane.core.shards import Shards, of_shards

from ..models import Event, EventNotice, EventStatus, NoticeKind, NoticeStatus


def _due(now: datetime) -> Q:
    return Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)


def notices_due(*, now: datetime, limit: int = 100, shards: Shards | None = None) -> list[EventNotice]:
    """Claimed notices whose back-off (if any) has passed, of these shards' servers, oldest first."""
    rows = EventNotice.objects.filter(_due(now), status=NoticeStatus.CLAIMED)
    rows = of_shards(rows, shards, guild_field="event__club__guild_id")
    return list(rows.select_related("event", "event__club").order_by("created_at", "id")[:limit])


def notice_lease(*, notice_id: int, now: datetime, until: datetime) -> EventNotice | None:
    """Take the right to send a due notice until ``until`` (the row's ``next_attempt_at``, as the results outbox's
    ``post_lease`` does, through ``core.leases``): the row, or None when another bot process has it or it is done.
    After a lease ran out, ``attempts > 0`` makes the next drainer look for the message first."""
    rows = EventNotice.objects.filter(_due(now), id=notice_id, status=NoticeStatus.CLAIMED)
    if not lease_take(rows, next_attempt_at=until):
        return None
    return EventNotice.objects.select_related("event", "event__club").get(id=notice_id)


def notice_attempt_begin(*, notice_id: int) -> EventNotice:
    """Count an attempt before sending: after a crash, ``attempts > 0`` says a message may already exist."""
    EventNotice.objects.filter(id=notice_id).update(attempts=F("attempts") + 1)
    return EventNotice.objects.select_related("event").get(id=notice_id)


def notice_mark_sent(*, notice_id: int, message_id: int, now: datetime) -> None:
    """Record the message; the results post also marks the event finished with its results posted."""
    with transaction.atomic():
        notice = EventNotice.objects.select_for_update().get(id=notice_id)
        EventNotice.objects.filter(id=notice_id).update(
            status=NoticeStatus.SENT, message_id=message_id, sent_at=now, next_attempt_at=None, last_error=""
        )
        if notice.kind == NoticeKind.RESULTS:
            Event.objects.filter(id=notice.event_id, results_posted_at__isnull=True).update(results_posted_at=now)
            Event.objects.filter(id=notice.event_id, status__in=(EventStatus.OPEN, EventStatus.TEAMS_FINAL)).update(
                status=EventStatus.FINISHED
            )


def notice_defer(*, notice_id: int, until: datetime, error: str) -> None:
    EventNotice.objects.filter(id=notice_id).update(next_attempt_at=until, last_error=error[:200])


def notice_fail(*, notice_id: int, error: str) -> None:
    EventNotice.objects.filter(id=notice_id).update(status=NoticeStatus.FAILED, last_error=error[:200])


def notices_of_event(*, event_id: int) -> list[EventNotice]:
    """An event's notices in the order they were claimed (the dashboard and tests read them)."""
    return list(EventNotice.objects.filter(event_id=event_id).order_by("created_at", "id"))
