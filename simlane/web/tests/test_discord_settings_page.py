"""The settings page's Discord section: admins change event channels, mentions and reminders; members read them;
a refused change says why and saves nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from simlane.clubs.models import ClubDiscordSettings
from simlane.discord_oauth_standin import DEMO_GUILD_ID, DEMO_MEMBER_ID

from .clubs_setup import DELEGATED_ID, populate
from .conftest import login

pytestmark = pytest.mark.django_db

S = f"/dashboard/clubs/{DEMO_GUILD_ID}/settings/"
FORM = {
    "auto_create_channels": "on",
    "channel_name_pattern": "Sunday {series} {date}",
    "results_ping": "role",
    "results_ping_role_id": "330000000000000009",
    "reminder_offsets": "2d, 30m, 2h",
}


@pytest.fixture
def setup(standin, world):
    return populate(world)


def client_for(user_id: int) -> Client:
    client = Client()
    login(client, user_id=user_id)
    return client


def saved() -> list[tuple[object, ...]]:
    return list(
        ClubDiscordSettings.objects.values_list(
            "auto_create_channels", "channel_name_pattern", "results_ping", "results_ping_role_id",
            "reminder_offsets", "updated_by",
        )
    )  # fmt: skip


def test_the_defaults_show_before_anyone_changes_them(setup):
    page = client_for(DEMO_MEMBER_ID).get(S).content.decode()
    assert '<code data-testid="channel-preview">#gt-sprint-spa-francorchamps-2026-03-07</code>' in page
    assert "<dd>1d, 1h before each event</dd>" in page and "<dd>Nobody</dd>" in page
    assert 'action="/dashboard/clubs/' not in page  # a member reads only
    assert saved() == []  # reading creates nothing


def test_an_admin_saves_the_discord_settings_and_the_page_shows_the_preview(setup):
    admin = client_for(DELEGATED_ID)
    page = admin.post(f"{S}discord/", FORM, follow=True).content.decode()
    assert "Discord settings saved: event channels are named like sunday-{series}-{date}." in page
    assert saved() == [(True, "sunday-{series}-{date}", "role", 330000000000000009, [2880, 120, 30], DELEGATED_ID)]
    assert "#sunday-gt-sprint-2026-03-07</code>" in page
    assert 'value="2d, 2h, 30m"' in page and "One role <code>330000000000000009</code>" in page

    # Unticking the box turns channel creation off; the role id is dropped when nobody is mentioned.
    admin.post(f"{S}discord/", {**FORM, "auto_create_channels": "", "results_ping": "here"})
    assert saved()[0][:4] == (False, "sunday-{series}-{date}", "here", None)


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"channel_name_pattern": "{series}-{driver}"}, "Unknown placeholder {driver}"),
        ({"reminder_offsets": "1h, 1m"}, "1m is outside 5 minutes to 14 days before the event."),
        ({"reminder_offsets": "1h,2h,3h,4h,5h,6h"}, "At most 5 reminders"),
        ({"results_ping_role_id": ""}, "Give the id of the role results should mention."),
        ({"results_ping_role_id": str(DEMO_GUILD_ID)}, "mention @everyone; choose @here or a role."),
        ({"results_ping_role_id": "12ab"}, "A Discord id is made of the digits 0–9 only"),
    ],
    ids=["placeholder", "reminder-bounds", "six-reminders", "role-missing", "everyone", "role-id"],
)
def test_a_refused_change_says_why_and_saves_nothing(setup, change, error):
    page = client_for(DELEGATED_ID).post(f"{S}discord/", {**FORM, **change}, follow=True).content.decode()
    assert error in page and "Nothing was changed." in page
    assert saved() == []


def test_a_member_cannot_change_them(setup):
    assert client_for(DEMO_MEMBER_ID).post(f"{S}discord/", FORM).status_code == 403
    assert saved() == []


def event_discord_saved() -> list[tuple[object, ...]]:
    return list(
        ClubDiscordSettings.objects.values_list("archive_mode", "archive_delay_hours", "race_voice_hours", "team_roles")
    )


def test_an_admin_sets_how_events_are_tidied_away_and_when_race_voice_opens(setup):
    admin = client_for(DELEGATED_ID)
    more = {"archive_mode": "delete", "archive_delay_hours": "6", "race_voice_hours": "2", "team_roles": "no"}
    page = admin.post(f"{S}discord/", FORM | more, follow=True).content.decode()
    assert event_discord_saved() == [("delete", 6, 2, False)]
    assert '<dd data-testid="archive-summary">Delete the channel, 6 h after the race</dd>' in page
    assert "opens 2 h before the start; no team roles" in page
    admin.post(f"{S}discord/", FORM)  # a post without them (an older page) keeps them
    assert event_discord_saved() == [("delete", 6, 2, False)]


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"archive_delay_hours": "721"}, "Tidy events away between 0 and 720 hours after the race."),
        ({"race_voice_hours": "0"}, "Open race voice between 1 and 168 hours before the race."),
    ],
    ids=["archive-delay", "race-voice"],
)
def test_event_hours_out_of_range_are_refused_and_nothing_changes(setup, change, error):
    page = client_for(DELEGATED_ID).post(f"{S}discord/", FORM | change, follow=True).content.decode()
    assert error in page
    assert saved() == []
