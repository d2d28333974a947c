"""Asking the bot to bring an event's Discord side up to date, and recording what it did.

The web and the services never talk to Discord: they queue one ``EVENT_SYNC`` intent per event. While one is still
queued, further requests reuse it (the bot reads the event's state when it runs, so one run covers every change
made before it), which coalesces a burst of signups into one card edit.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from django.db import transaction

from simlane.clubs.intents.services import intent_enqueue
from simlane.clubs.models import DiscordIntent, IntentKind, IntentStatus

from ..models import Event, EventDiscordChannel, Signup


def request_event_sync(event: Event, now: datetime) -> DiscordIntent:
    """Queue an update of the event's Discord side (the signup card first), unless one is already queued."""
    with transaction.atomic():
        EventDiscordChannel.objects.get_or_create(event=event)
        queued = (
            DiscordIntent.objects.filter(
                club_id=event.club_id,
                kind=IntentKind.EVENT_SYNC,
                status=IntentStatus.QUEUED,
                payload__event_id=event.id,
            )
            .order_by("id")
            .first()
        )
        if queued is not None:
            return queued
        intent, _ = intent_enqueue(
            club=event.club,
            kind=IntentKind.EVENT_SYNC,
            payload={"event_id": event.id},
            idempotency_key=f"event_sync:{event.id}:{secrets.token_hex(8)}",
            now=now,
        )
        return intent


def card_recorded(*, event_id: int, channel_id: int, message_id: int, detail: str) -> None:
    """Record where the signup card is, as soon as it was posted (before any further Discord step)."""
    EventDiscordChannel.objects.update_or_create(
        event_id=event_id,
        defaults={"signup_channel_id": channel_id, "signup_message_id": message_id, "status_detail": detail[:500]},
    )


def card_forgotten(*, event_id: int) -> None:
    """The card was deleted on Discord (404): forget it so the next sync posts a new one."""
    EventDiscordChannel.objects.filter(event_id=event_id).update(signup_message_id=None)


def promotions_to_announce(*, event_id: int) -> list[Signup]:
    """Members the waitlist gave a place whom nobody has told yet."""
    return list(
        Signup.objects.filter(
            event_id=event_id, status="confirmed", promoted_at__isnull=False, promotion_announced_at__isnull=True
        ).select_related("member", "event_class")
    )


def promotions_announced(*, signup_ids: list[int], now: datetime) -> None:
    Signup.objects.filter(id__in=signup_ids).update(promotion_announced_at=now)
