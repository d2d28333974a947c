"""The authorisation matrix: every club page and every POST endpoint × who is asking, status written literally.

Who: anonymous; a member of another club; a member; a delegated admin (the server's SimLane admin role, no Manage
Server); a member with Manage Server. Refused POSTs must change nothing. The API endpoints join the table when
the API lands (add rows to ``PAGES`` / ``POSTS``).
"""

from __future__ import annotations

import pytest
from django.test import Client

from simlane.discord_bot.models import GuildSettings
from simlane.discord_oauth_standin import DEMO_GUILD_ID, DEMO_MEMBER_ID
from simlane.racenumbers.models import AuditEntry, NumberConfig
from simlane.results.models import GuildResultsConfig

from .clubs_setup import DELEGATED_ID, MANAGER_ID, OUTSIDER_ID, SERIES_ID, populate
from .conftest import login

pytestmark = pytest.mark.django_db

WHO = {"anonymous": None, "other-club": OUTSIDER_ID, "member": DEMO_MEMBER_ID, "delegated": DELEGATED_ID}
WHO["manage-server"] = MANAGER_ID
C = f"/dashboard/clubs/{DEMO_GUILD_ID}/"
LOGIN = 302  # to the login page, coming back afterwards
SAVED = 302  # back to the settings page

#        page                                        anonymous other-club member delegated manage-server
PAGES = [
    (C,                                              LOGIN, 404, 200, 200, 200),
    (f"{C}settings/",                                LOGIN, 404, 200, 200, 200),
    (f"{C}results/",                                 LOGIN, 404, 200, 200, 200),
    (f"{C}numbers/",                                 LOGIN, 404, 200, 200, 200),
    (f"{C}numbers/car-numbers.csv",                  LOGIN, 404, 200, 200, 200),
    (f"{C}schedule/",                                LOGIN, 404, 200, 200, 200),
    (f"{C}schedule/{SERIES_ID}/forecast.png",        LOGIN, 404, 200, 200, 200),
]  # fmt: skip

#        endpoint, form that changes something            anonymous other-club member delegated manage-server
POSTS = [
    (f"{C}settings/results/", {"mode": "official", "channel_id": "555"},  LOGIN, 404, 403, SAVED, SAVED),
    (f"{C}settings/tracking-limit/", {"per_member": "7"},                 LOGIN, 404, 403, SAVED, SAVED),
    (f"{C}settings/numbers/", {"min_number": "1", "max_number": "99", "leading_zeros_distinct": "yes",
                               "on_leave": "flag", "auto_sync_minutes": "0"}, LOGIN, 404, 403, SAVED, SAVED),
    (f"{C}settings/raceguide/follow/", {"series_id": str(SERIES_ID + 1)}, LOGIN, 404, 403, SAVED, SAVED),
    (f"{C}settings/raceguide/unfollow/", {"series_id": str(SERIES_ID)},   LOGIN, 404, 403, SAVED, SAVED),
    (f"{C}settings/admin-role/", {"role_id": "330000000000000002"},       LOGIN, 404, 403, 403, SAVED),
]  # fmt: skip


def state() -> tuple[object, ...]:
    """Everything a settings POST can change, to compare before and after."""
    return (
        list(GuildResultsConfig.objects.values_list("channel_id", "mode", "max_tracked_per_member")),
        list(NumberConfig.objects.values_list("min_number", "max_number")),
        list(GuildSettings.objects.values_list("guild_id", "admin_role_id", "followed_series")),
        AuditEntry.objects.count(),
    )


def as_who(client: Client, who: str) -> Client:
    if (user_id := WHO[who]) is not None:
        login(client, user_id=user_id)
    return client


def _cases(rows: list[tuple]) -> list:  # type: ignore[type-arg]
    return [
        pytest.param(*row[:-5], who, expected, id=f"{row[0].removeprefix(C) or 'overview'}-{who}")
        for row in rows
        for who, expected in zip(WHO, row[-5:], strict=True)
    ]


@pytest.mark.parametrize(("path", "who", "expected"), _cases(PAGES))
def test_pages(client, standin, world, path, who, expected):
    populate(world)
    response = as_who(client, who).get(path)
    assert response.status_code == expected
    if expected == LOGIN:
        assert response["Location"].startswith("/?next=")


@pytest.mark.parametrize(("path", "data", "who", "expected"), _cases(POSTS))
def test_posts(client, standin, world, path, data, who, expected):
    populate(world)
    as_who(client, who)
    before = state()
    response = client.post(path, data)
    assert response.status_code == expected
    if who == "anonymous":
        assert response["Location"].startswith("/?next=")
    if expected == SAVED and who != "anonymous":
        assert response["Location"].startswith(f"{C}settings/#")
        assert state() != before
    else:
        assert state() == before


def test_a_post_without_the_csrf_token_is_refused(client, standin, world):
    populate(world)
    login(client, user_id=MANAGER_ID)
    browser = Client(enforce_csrf_checks=True)
    browser.cookies = client.cookies  # the same logged-in session, from a page that did not send the token
    before = state()
    assert browser.post(f"{C}settings/results/", {"mode": "official"}).status_code == 403
    assert state() == before
