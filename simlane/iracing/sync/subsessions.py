"""Storing a ``results/get`` result: the event and every participant (teams with their drivers), once."""

from __future__ import annotations

from django.db import transaction

from simlane.iracing.client.models import DriverResult, SubsessionResult

from ..models import Participant, Subsession
from .upsert import content_hash


def _participant(subsession: Subsession, number: int, row: DriverResult, team: Participant | None) -> Participant:
    return Participant(
        subsession=subsession,
        simsession_number=number,
        team=team,
        cust_id=row.cust_id,
        iracing_team_id=row.team_id,
        display_name=row.display_name[:200],
        finish_position=int(row.finish_position),
        finish_position_in_class=int(row.finish_position_in_class),
        car_id=row.car_id,
        car_class_id=row.car_class_id,
        laps_complete=row.laps_complete,
        incidents=row.incidents,
        best_lap_time=int(row.best_lap_time),
        oldi_rating=row.oldi_rating,
        newi_rating=row.newi_rating,
    )


@transaction.atomic
def subsession_store(result: SubsessionResult) -> bool:
    """Store the result unless the same content is stored already; True when something was written."""
    payload = result.model_dump(mode="json")
    h = content_hash(payload)
    existing = Subsession.objects.filter(subsession_id=result.subsession_id).first()
    if existing is not None and existing.content_hash == h:
        return False
    if existing is not None:
        existing.delete()  # a corrected result replaces the old one whole
    sub = Subsession.objects.create(
        subsession_id=result.subsession_id,
        session_id=result.session_id,
        iracing_series_id=result.series_id or None,
        iracing_season_id=result.season_id or None,
        league_id=result.league_id,
        start_time=result.start_time,
        end_time=result.end_time,
        event_type=result.event_type,
        official=result.official_session,
        strength_of_field=result.event_strength_of_field,
        iracing_track_id=result.track.track_id if result.track else None,
        content_hash=h,
        payload=payload,
    )
    teams, drivers = [], []
    for session in result.session_results:
        for row in session.results:
            p = _participant(sub, session.simsession_number, row, None)
            if row.driver_results:
                teams.append((p, session.simsession_number, row.driver_results))
            else:
                drivers.append(p)
    Participant.objects.bulk_create([t for t, _n, _d in teams])  # ids come back on SQLite and PostgreSQL
    for team, number, members in teams:
        drivers += [_participant(sub, number, d, team) for d in members]
    Participant.objects.bulk_create(drivers, batch_size=500)
    return True


def subsession_payload(*, subsession_id: int) -> dict[str, object] | None:
    """The stored results/get answer of a subsession, or None."""
    row = Subsession.objects.filter(subsession_id=subsession_id).values_list("payload", flat=True).first()
    return dict(row) if row else None
