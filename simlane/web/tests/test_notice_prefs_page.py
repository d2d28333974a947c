"""Event notices on the web: what an event sent (or could not) on its page; a member turns their own DMs and
nudges on and off (and nobody else's); an admin sets the club's stint alert offsets and nudges; a member cannot,
and a bad offset changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from simlane.clubs.models import ClubDiscordSettings, ClubMember
from simlane.discord_oauth_standin import DEMO_GUILD_ID, DEMO_MEMBER_ID
from simlane.events.models import Event, EventNotice, NoticeKind, NoticeStatus

from .clubs_setup import DELEGATED_ID, MANAGER_ID, populate
from .conftest import login

pytestmark = pytest.mark.django_db

CLUB = f"/dashboard/clubs/{DEMO_GUILD_ID}/"


@pytest.fixture
def setup(standin, world):
    return populate(world)


def client_for(user_id: int) -> Client:
    client = Client()
    login(client, user_id=user_id)
    return client


def prefs(user_id: int) -> tuple[bool, bool]:
    member = ClubMember.objects.get(club__guild_id=DEMO_GUILD_ID, discord_user_id=user_id)
    return member.event_dms, member.event_nudges


def test_a_member_sets_their_own_notices_and_only_theirs(setup):
    member = client_for(DEMO_MEMBER_ID)
    page = member.get(CLUB).content.decode()
    assert 'data-testid="notice-dms">' in page and 'data-testid="notice-nudges" checked>' in page  # the defaults
    answer = member.post(f"{CLUB}my-notices/", {"dms": "on"}, follow=True)
    assert "Saved: event reminders by DM on, signup nudges off." in answer.content.decode()
    assert prefs(DEMO_MEMBER_ID) == (True, False)
    assert prefs(MANAGER_ID) == (False, True)  # nobody else's changed
    assert 'data-testid="notice-dms" checked>' in member.get(CLUB).content.decode()


def test_an_admin_sets_the_clubs_stint_alerts_and_nudges(setup):
    admin = client_for(DELEGATED_ID)
    answer = admin.post(f"{CLUB}settings/event-notices/", {"stint_alert_offsets": "30m, 5m"}, follow=True)
    assert "Event notice settings saved." in answer.content.decode()
    saved = ClubDiscordSettings.objects.get(club__guild_id=DEMO_GUILD_ID)
    assert (saved.stint_alert_offsets, saved.nudge_unanswered, saved.updated_by) == ([30, 5], False, DELEGATED_ID)
    assert "<dd>30m, 5m before each stint, in the team's thread</dd>" in answer.content.decode()


def test_a_bad_offset_changes_nothing_and_says_why(setup):
    admin = client_for(DELEGATED_ID)
    answer = admin.post(f"{CLUB}settings/event-notices/", {"stint_alert_offsets": "soon", "nudge_unanswered": "on"})
    page = admin.get(answer["Location"]).content.decode()
    assert "is not a duration" in page and "Nothing was changed." in page
    assert not ClubDiscordSettings.objects.filter(club__guild_id=DEMO_GUILD_ID).exists()


def test_a_member_cannot_change_the_clubs_settings(setup):
    answer = client_for(DEMO_MEMBER_ID).post(f"{CLUB}settings/event-notices/", {"stint_alert_offsets": "5m"})
    assert answer.status_code == 403
    assert not ClubDiscordSettings.objects.filter(club__guild_id=DEMO_GUILD_ID).exists()


def test_the_event_page_lists_what_was_sent_and_what_failed(setup):
    event = Event.objects.create(
        club=setup.club, title="Cup", race_at=timezone.now() + timedelta(days=1), status="open", created_by=1
    )
    EventNotice.objects.create(
        event=event, kind=NoticeKind.REMINDER, key="1440:0", nonce="a", status=NoticeStatus.SENT, sent_at=timezone.now()
    )
    EventNotice.objects.create(
        event=event,
        kind=NoticeKind.REMINDER_DM,
        key="1440:5",
        nonce="b",
        status=NoticeStatus.FAILED,
        last_error="the bot is not allowed to send a DM to the member (Discord 403)",
    )
    page = client_for(DEMO_MEMBER_ID).get(f"{CLUB}events/{event.id}/").content.decode()
    assert page.count('data-testid="notice"') == 2
    assert "Reminder in the event channel (24 h before):" in page and "sent" in page
    assert "not sent</span> the bot is not allowed to send a DM to the member (Discord 403)" in page
