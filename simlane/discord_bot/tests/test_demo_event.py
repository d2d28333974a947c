"""`simlane run`'s demo walks a club event through its whole lifecycle on the accelerated clock, printed as it
happens: created, signups with the waitlist promoting, teams, Discord objects, reminders, the stint alert, the
scheduled event started and ended, the results post and the archive."""

from __future__ import annotations

import re

import pytest

from simlane.discord_bot.demo import DemoRun
from simlane.events.models import Event, EventNotice, NoticeKind, NoticeStatus, Signup, SignupStatus

from .test_run import run_demo_until

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "demo"])


def test_the_demo_walks_a_club_event_from_creation_to_archive():
    async def until(run: DemoRun) -> None:
        await run.event_done()

    run, text = run_demo_until(until)
    set_up_by_its_people(text)
    lifecycle_printed_in_order(text)
    stored_once(run)


def set_up_by_its_people(text: str) -> None:
    assert re.search(r"Club event: “.+ team night”, a team event on .+ race at \d\d:\d\d UTC", text), text[-3000:]
    assert "fast-friend: Sign up on the card  →  You are in" in text
    assert "reserve: Sign up on the card  →  Pro is full: you are number 1 on its waitlist" in text
    assert "co-driver: Withdraw on the card  →  " in text
    assert "From the waitlist of" in text  # the promoted member is told in the event channel
    assert "league-admin finalises the teams: Blue Arrows" in text


def lifecycle_printed_in_order(text: str) -> None:
    steps = [
        "Discord: the event channel and its signup card are up",
        "private team threads",
        "Discord: race voice open for 2 teams",
        "⏰",  # a reminder in the event channel
        "🔔",  # the first stint's alert in the team thread
        "Discord: the scheduled event is active",
        "Discord: the scheduled event is completed",
        "🏁 Results:",
        "Discord: archived",
    ]
    positions = [text.find(step) for step in steps]
    assert all(p >= 0 for p in positions), dict(zip(steps, positions, strict=True))
    assert text.find("🏁 Results:") < text.find("Discord: archived")
    assert text.find("Discord: the scheduled event is active") < text.find("Discord: the scheduled event is completed")


def stored_once(run: DemoRun | None) -> None:
    assert run is not None and run.event is not None
    event = Event.objects.using("demo").get(id=run.event.event_id)
    assert event.results_posted_at is not None and event.subsession_id is not None
    statuses = sorted(Signup.objects.using("demo").filter(event=event).values_list("status", flat=True))
    assert statuses == sorted([SignupStatus.CONFIRMED] * 3 + [SignupStatus.WITHDRAWN])
    results = EventNotice.objects.using("demo").filter(event=event, kind=NoticeKind.RESULTS)
    assert [n.status for n in results] == [NoticeStatus.SENT]
    keys = list(EventNotice.objects.using("demo").filter(event=event).values_list("kind", "key"))
    assert len(keys) == len(set(keys))
