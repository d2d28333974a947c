"""Two members racing for the last place: the event row lock serves them one after the other (threads, each with
its own database connection: SQLite here, PostgreSQL with DATABASE_URL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from simlane.events.models import Signup, SignupStatus
from simlane.events.permissions import EventActor
from simlane.events.services import EventError
from simlane.events.services.signups import signup_save

from . import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def sign_up_together(event_id: int, class_id: int, actors: list[EventActor]) -> list[str]:
    barrier = threading.Barrier(len(actors))
    outcomes: list[str] = []

    def go(actor: EventActor) -> None:
        barrier.wait()
        try:
            out = signup_save(actor=actor, event_id=event_id, class_id=class_id, now=f.NOW)
            outcomes.append("waitlisted" if out.waitlisted else "confirmed")
        except EventError as exc:
            outcomes.append(exc.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=go, args=(a,)) for a in actors]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_two_members_for_the_last_place_one_gets_it_the_other_waits():
    club = f.club()
    ev = f.event(club, capacity=1)
    gt3 = ev.classes.get()
    actors = [f.actor(f.member(club, uid)) for uid in (11, 12)]
    outcomes = sign_up_together(ev.id, gt3.id, actors)
    assert sorted(outcomes) == ["confirmed", "waitlisted"]
    assert Signup.objects.filter(event=ev, status=SignupStatus.CONFIRMED).count() == 1


def test_many_members_without_a_waitlist_never_overfill_the_class():
    club = f.club()
    ev = f.event(club, capacity=3, waitlist=False)
    gt3 = ev.classes.get()
    actors = [f.actor(f.member(club, 100 + i)) for i in range(8)]
    outcomes = sign_up_together(ev.id, gt3.id, actors)
    assert outcomes.count("confirmed") == 3
    assert outcomes.count("GT3 is full and this event keeps no waitlist.") == 5
    assert Signup.objects.filter(event=ev).count() == 3
