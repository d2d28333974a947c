"""Creating, editing and cancelling events: admins only, validated, with the catalogue's track and classes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from simlane.clubs.models import ClubRole, DiscordIntent, IntentKind
from simlane.events.models import Event, EventStatus
from simlane.events.permissions import EventActor, EventNotFound, EventPermissionDenied
from simlane.events.services import EventError
from simlane.events.services.events import ClassSpec, EventSpec, event_cancel, event_create, event_update
from simlane.events.services.signups import signup_save
from simlane.iracing.models import CarClass, Track

from . import factories as f

pytestmark = pytest.mark.django_db
NOW = f.NOW


def test_an_admin_creates_an_open_event_with_its_sheet_and_a_queued_card():
    club = f.club()
    ev = f.event(club, capacity=12)
    assert ev.status == EventStatus.OPEN
    assert ev.sheet.opens_at == NOW and ev.sheet.closes_at == f.RACE - timedelta(hours=1)
    assert [(c.name, c.capacity) for c in ev.classes.all()] == [("GT3", 12)]
    assert DiscordIntent.objects.get(kind=IntentKind.EVENT_SYNC).payload == {"event_id": ev.id}


def test_a_member_cannot_create_events_and_nothing_is_saved():
    club = f.club()
    member = EventActor(club_id=club.id, discord_user_id=5, role=ClubRole.MEMBER, member_id=None)
    with pytest.raises(EventPermissionDenied, match="Only this club's SimLane admins"):
        event_create(actor=member, club=club, spec=EventSpec(title="X", race_at=f.RACE, track_name="Spa"), now=NOW)
    other_admin = f.admin_actor(f.club(2000, "Other"))
    with pytest.raises(EventNotFound):
        event_create(actor=other_admin, club=club, spec=EventSpec(title="X", race_at=f.RACE, track_name="Spa"), now=NOW)
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("spec", "error"),
    [
        ({"race_at": NOW - timedelta(minutes=1)}, "must start in the future"),
        ({"title": " "}, "title of at most 100"),
        ({"track_name": ""}, "Choose a track"),
        ({"practice_at": f.RACE + timedelta(hours=1)}, "Practice must start before the race"),
        ({"kind": "team", "team_min_drivers": 3, "team_max_drivers": 2}, "Drivers per team"),
        ({"closes_at": f.RACE + timedelta(hours=1)}, "close by the race start"),
        ({"classes": [ClassSpec(name="GT3"), ClassSpec(name="gt3")]}, "same name"),
        ({"classes": [ClassSpec(name="GT3", capacity=0)]}, "between 1 and 500"),
        ({"track_id": 999999}, "does not know that track"),
    ],
    ids=[
        "past",
        "no-title",
        "no-track",
        "practice-after-race",
        "team-sizes",
        "cutoff-after-race",
        "dup-class",
        "cap-0",
        "unknown-track",
    ],
)
def test_bad_input_is_refused_with_a_clear_message(spec, error):
    club = f.club()
    fields = {"title": "Thursday GT3", "race_at": f.RACE, "track_name": "Spa", **spec}
    with pytest.raises(EventError, match=error):
        event_create(actor=f.admin_actor(club), club=club, spec=EventSpec(**fields), now=NOW)
    assert not Event.objects.exists()


def test_track_and_class_come_from_the_synced_catalogue():
    Track.objects.create(track_id=163, name="Spa-Francorchamps", config_name="Grand Prix Pits", content_hash="x")
    CarClass.objects.create(car_class_id=2708, name="GT3 Class", short_name="GT3", car_ids=[132, 133], content_hash="x")
    club = f.club()
    ev = f.event(club, track_id=163, track_name="", classes=[ClassSpec(car_class_id=2708, capacity=5)])
    assert ev.track_name == "Spa-Francorchamps — Grand Prix Pits"
    gt3 = ev.classes.get()
    assert (gt3.name, gt3.car_ids) == ("GT3", [132, 133])
    with pytest.raises(EventError, match="does not race in GT3"):
        signup_save(actor=f.actor(f.member(club, 11)), event_id=ev.id, class_id=gt3.id, car_id=1, now=NOW)


def test_editing_and_cancelling():
    club = f.club()
    ev = f.event(club)
    event_update(actor=f.admin_actor(club), event_id=ev.id, changes={"title": "Renamed"}, now=NOW)
    assert Event.objects.get(id=ev.id).title == "Renamed"
    with pytest.raises(EventError, match="cannot be changed: club"):
        event_update(actor=f.admin_actor(club), event_id=ev.id, changes={"club": 3}, now=NOW)
    event_cancel(actor=f.admin_actor(club), event_id=ev.id, now=NOW)
    assert Event.objects.get(id=ev.id).status == EventStatus.CANCELLED
    with pytest.raises(EventError, match="Signups are closed: the event is cancelled"):
        signup_save(actor=f.actor(f.member(club, 11)), event_id=ev.id, class_id=ev.classes.get().id, now=NOW)
