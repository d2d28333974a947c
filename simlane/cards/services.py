"""Writes for race cards (keyword-only, atomic)."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TypeVar

from django.db import transaction
from django.db.models import F, Model

from simlane.core.leases import lease_take

from .models import CardTheme, DigestPost, GuildCardSettings, HighlightKind, HighlightPost, HighlightStatus
from .selectors import unleased


@transaction.atomic
def card_settings_set(
    *, guild_id: int, cards: bool | None = None, charts: bool | None = None, theme: str | None = None
) -> GuildCardSettings:
    """Change what was given, keep the rest."""
    row, _ = GuildCardSettings.objects.select_for_update().get_or_create(guild_id=guild_id)
    if cards is not None:
        row.cards_enabled = cards
    if charts is not None:
        row.charts_enabled = charts
    if theme is not None:
        row.theme = CardTheme(theme)
    row.save()
    return row


@transaction.atomic
def highlights_set(
    *, guild_id: int, channel_id: int | None, podiums: bool | None = None, personal_bests: bool | None = None
) -> GuildCardSettings:
    """Where podiums and personal bests also go (``channel_id`` None turns the second channel off)."""
    row, _ = GuildCardSettings.objects.select_for_update().get_or_create(guild_id=guild_id)
    row.highlights_channel_id = channel_id
    if podiums is not None:
        row.route_podiums = podiums
    if personal_bests is not None:
        row.route_personal_bests = personal_bests
    row.save()
    return row


def highlight_claim(*, guild_id: int, subsession_id: int, cust_id: int, kind: str, channel_id: int) -> None:
    """Claim the highlight post once (running it again changes nothing)."""
    HighlightPost.objects.get_or_create(
        guild_id=guild_id,
        subsession_id=subsession_id,
        cust_id=cust_id,
        defaults={"kind": HighlightKind(kind), "channel_id": channel_id, "nonce": secrets.token_hex(12)},
    )


def highlight_attempt_begin(*, post_id: int) -> HighlightPost:
    """Count the attempt before sending (committed): a later retry knows a message may exist."""
    HighlightPost.objects.filter(id=post_id).update(attempts=F("attempts") + 1)
    return HighlightPost.objects.get(id=post_id)


def highlight_finish(*, post_id: int, message_id: int | None = None, error: str = "") -> None:
    """Posted (with its message) or failed for good (with why)."""
    status = HighlightStatus.POSTED if message_id is not None else HighlightStatus.FAILED
    HighlightPost.objects.filter(id=post_id).update(status=status, message_id=message_id, last_error=error[:200])


@transaction.atomic
def digest_set(
    *, guild_id: int, weekday: int | None, now: datetime, hour: int = 20, channel_id: int | None = None
) -> GuildCardSettings:
    """The weekly digest's day (0 = Monday; None turns it off), hour (UTC) and channel (None: the results one)."""
    row, _ = GuildCardSettings.objects.select_for_update().get_or_create(guild_id=guild_id)
    row.digest_weekday, row.digest_hour, row.digest_channel_id = weekday, hour, channel_id
    row.digest_since = now
    row.save()
    return row


def digest_attempt_begin(*, post_id: int) -> DigestPost:
    DigestPost.objects.filter(id=post_id).update(attempts=F("attempts") + 1)
    return DigestPost.objects.get(id=post_id)


def digest_finish(*, post_id: int, message_id: int | None = None, error: str = "") -> None:
    status = HighlightStatus.POSTED if message_id is not None else HighlightStatus.FAILED
    DigestPost.objects.filter(id=post_id).update(status=status, message_id=message_id, last_error=error[:200])


_Post = TypeVar("_Post", HighlightPost, DigestPost)


def _lease(model: type[_Post], *, post_id: int, now: datetime, until: datetime) -> _Post | None:
    """Take the right to send a claimed post until ``until``: the row, or None when another process has it (or it
    is done), through ``core.leases`` as the results outbox does; after a lease ran out, ``attempts > 0`` makes the
    next drainer look for the message first."""
    rows = model.objects.filter(unleased(now), id=post_id, status=HighlightStatus.CLAIMED)
    if not lease_take(rows, lease_until=until):
        return None
    return model.objects.get(id=post_id)


def highlight_lease(*, post_id: int, now: datetime, until: datetime) -> HighlightPost | None:
    return _lease(HighlightPost, post_id=post_id, now=now, until=until)


def digest_lease(*, post_id: int, now: datetime, until: datetime) -> DigestPost | None:
    return _lease(DigestPost, post_id=post_id, now=now, until=until)


def lease_release(model: type[Model], *, post_id: int) -> None:
    """Give a post back after a send Discord asked to retry later: the next drain (of any process) tries it."""
    model._default_manager.filter(id=post_id).update(lease_until=None)


def highlight_release(*, post_id: int) -> None:
    lease_release(HighlightPost, post_id=post_id)


def digest_release(*, post_id: int) -> None:
    lease_release(DigestPost, post_id=post_id)
