"""The notice ledger's reads and writes around a send: what is due, an attempt counted before sending, the mark."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import F, Q

from ..models import Event, EventNotice, EventStatus, NoticeKind, NoticeStatus


def notices_due(*, now: datetime, limit: int = 100) -> list[EventNotice]:
    """Claimed notices whose back-off (if any) has passed, oldest first."""
    return list(
        EventNotice.objects.filter(status=NoticeStatus.CLAIMED)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .select_related("event", "event__club")
        .order_by("created_at", "id")[:limit]
    )


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
