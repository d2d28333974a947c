"""Reads for race cards."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Min, Q

from simlane.core.shards import Shards, of_shards
from simlane.iracing.models import Participant
from simlane.results.models import TrackedDriver

from .models import CardTheme, GuildCardSettings, HighlightPost, HighlightStatus


@dataclass(frozen=True)
class CardChoices:
    cards: bool = True
    charts: bool = True
    theme: str = CardTheme.DARK
    tracked: frozenset[int] = field(default_factory=frozenset)  # the server's tracked drivers
    highlights_channel_id: int | None = None
    podiums: bool = False
    personal_bests: bool = False


def card_choices(*, guild_id: int) -> CardChoices:
    """The server's card settings (defaults when it never changed them) and the drivers it tracks."""
    row = GuildCardSettings.objects.filter(guild_id=guild_id).first()
    tracked = frozenset(TrackedDriver.objects.filter(guild_id=guild_id).values_list("cust_id", flat=True))
    if row is None:
        return CardChoices(tracked=tracked)
    return CardChoices(
        row.cards_enabled,
        row.charts_enabled,
        row.theme,
        tracked,
        row.highlights_channel_id,
        row.route_podiums,
        row.route_personal_bests,
    )


def unleased(now: datetime) -> Q:
    """Rows no bot process is sending now (never leased, or its lease ran out: that process died)."""
    return Q(lease_until__isnull=True) | Q(lease_until__lte=now)


def highlights_due(
    *, now: datetime, shards: Shards | None = None, limit: int = 50, max_attempts: int = 6
) -> list[HighlightPost]:
    """Claimed highlight posts still to send and not being sent, of these shards' servers, oldest first."""
    rows = HighlightPost.objects.filter(unleased(now), status=HighlightStatus.CLAIMED, attempts__lt=max_attempts)
    return list(of_shards(rows, shards).order_by("created_at", "id")[:limit])


def previous_best_lap(*, cust_id: int, track_id: int, car_id: int, before: datetime) -> int | None:
    """The driver's best lap (1/10000 s) in the races SimLane stored at this track in this car before ``before``."""
    best = Participant.objects.filter(
        cust_id=cust_id,
        car_id=car_id,
        simsession_number=0,
        best_lap_time__gt=0,
        subsession__iracing_track_id=track_id,
        subsession__end_time__lt=before,
    ).aggregate(best=Min("best_lap_time"))["best"]
    return int(best) if best is not None else None
