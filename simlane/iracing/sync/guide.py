"""The race guide (``season/race_guide``: every official session starting in the next three hours) into the database."""

from __future__ import annotations

from django.db import transaction

from simlane.iracing.client.models import RaceGuideSession as GuideItem

from ..models import RaceGuideSession, RaceWeek


@transaction.atomic
def store_guide(sessions: list[GuideItem]) -> int:
    """Upsert by (season, start time) in one statement; link race weeks that are known. Returns the rows written."""
    weeks: dict[tuple[int, int | None], int] = {
        (sid, num): pk
        for sid, num, pk in RaceWeek.objects.filter(season__season_id__in={s.season_id for s in sessions}).values_list(
            "season__season_id", "race_week_num", "id"
        )
    }
    # One row per (season, start): PostgreSQL refuses to update the same row twice in one statement.
    unique = list({(s.season_id, s.start_time): s for s in sessions}.values())
    rows = [
        RaceGuideSession(
            season_id_upstream=s.season_id,
            series_id_upstream=s.series_id,
            race_week_num=s.race_week_num,
            race_week_id=weeks.get((s.season_id, s.race_week_num)),
            start_time=s.start_time,
            end_time=s.end_time,
            session_id=s.session_id,
            entry_count=s.entry_count or 0,
            super_session=s.super_session,
        )
        for s in unique
    ]
    RaceGuideSession.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["season_id_upstream", "start_time"],
        update_fields=["race_week", "end_time", "session_id", "entry_count", "super_session", "updated_at"],
    )
    return len(rows)
