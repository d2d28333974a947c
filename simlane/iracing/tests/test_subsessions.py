"""Stored results: every participant of every session, team drivers under their team, stored once."""

from __future__ import annotations

import json

import pytest

from simlane.iracing.client.models import SubsessionResult
from simlane.iracing.models import Participant, Subsession
from simlane.iracing.sync.subsessions import subsession_store


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["result.json", "result_with_team.json", "result_with_licenses.json"])
def test_a_recorded_result_is_stored_whole_and_once(fixtures_dir, name):
    result = SubsessionResult.model_validate(json.loads((fixtures_dir / name).read_text()))
    assert subsession_store(result) is True
    rows = sum(len(s.results) + sum(len(r.driver_results) for r in s.results) for s in result.session_results)
    assert Participant.objects.count() == rows
    race = result.main_event()
    assert race is not None
    winner = min(race.results, key=lambda r: int(r.finish_position) if int(r.finish_position) >= 0 else 999)
    stored = Participant.objects.get(simsession_number=0, finish_position=0, team__isnull=True)
    assert stored.display_name == winner.display_name
    team_drivers = sum(len(r.driver_results) for s in result.session_results for r in s.results)
    assert Participant.objects.filter(team__isnull=False).count() == team_drivers  # drivers hang under their team
    if team_drivers:
        main_team = Participant.objects.filter(simsession_number=0, drivers__isnull=False).first()
        assert main_team is not None and main_team.iracing_team_id is not None and main_team.iracing_team_id < 0
    assert subsession_store(result) is False  # the same content is not written twice
    assert Subsession.objects.count() == 1 and Participant.objects.count() == rows
