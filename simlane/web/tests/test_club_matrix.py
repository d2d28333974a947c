"""The authorisation matrix: every club page, POST and API endpoint, and the per-user identity pages × who is
asking, status written literally.

Who: anonymous; a member of another club; a member; a delegated admin (the server's SimLane admin role, no Manage
Server); a member with Manage Server. Refused POSTs must change nothing; allowed ones must change something.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from simlane.clubs.models import ClubDiscordSettings, DiscordIntent, IntentKind, MemberProposal
from simlane.discord_bot.models import GuildSettings
from simlane.discord_oauth_standin import DEMO_GUILD_ID, DEMO_MEMBER_ID
from simlane.racenumbers.models import AuditEntry, MemberLink, NumberConfig
from simlane.results.models import GuildResultsConfig

from .clubs_setup import (
    DELEGATED_ID,
    MANAGER_ID,
    MIKA_ID,
    OTHER_MEMBER_ID,
    OUTSIDER_ID,
    SERIES_ID,
    ClubSetup,
    populate,
    populate_members,
)
from .conftest import login

pytestmark = pytest.mark.django_db

WHO = {"anonymous": None, "other-club": OUTSIDER_ID, "member": DEMO_MEMBER_ID, "delegated": DELEGATED_ID}
WHO["manage-server"] = MANAGER_ID
C = f"/dashboard/clubs/{DEMO_GUILD_ID}/"
LOGIN = 302  # to the login page, coming back afterwards
SAVED = 302  # back to the page the form was on
ME, OTHER, MIKA = str(DEMO_MEMBER_ID), str(OTHER_MEMBER_ID), str(MIKA_ID)  # whose proposal a POST decides

#        page                                        anonymous other-club member delegated manage-server
PAGES = [
    (C,                                              LOGIN, 404, 200, 200, 200),
    (f"{C}settings/",                                LOGIN, 404, 200, 200, 200),
    (f"{C}results/",                                 LOGIN, 404, 200, 200, 200),
    (f"{C}numbers/",                                 LOGIN, 404, 200, 200, 200),
    (f"{C}numbers/car-numbers.csv",                  LOGIN, 404, 200, 200, 200),
    (f"{C}schedule/",                                LOGIN, 404, 200, 200, 200),
    (f"{C}schedule/{SERIES_ID}/forecast.png",        LOGIN, 404, 200, 200, 200),
    (f"{C}members/",                                 LOGIN, 404, 200, 200, 200),
    (f"{C}members/?page=2",                          LOGIN, 404, 200, 200, 200),
    (f"{C}events/",                                  LOGIN, 404, 200, 200, 200),
    (f"/dashboard/servers/{DEMO_GUILD_ID}/health/",  LOGIN, 404, 200, 200, 200),
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
    (f"{C}settings/discord/", {"channel_name_pattern": "{event}", "results_ping": "here", "reminder_offsets": "1h"},
                                                                          LOGIN, 404, 403, SAVED, SAVED),
    (f"{C}members/sync/", {},                                             LOGIN, 404, 403, SAVED, SAVED),
    (f"{C}members/confirm/", {"member_id": ME},                           LOGIN, 404, SAVED, SAVED, SAVED),
    (f"{C}members/confirm/", {"member_id": OTHER},                        LOGIN, 404, 403, SAVED, SAVED),
    (f"{C}members/confirm/", {"member_id": MIKA, "cust_id": "104077"},    LOGIN, 404, 403, SAVED, SAVED),
    (f"{C}members/reject/", {"member_id": ME},                            LOGIN, 404, SAVED, SAVED, SAVED),
    (f"{C}members/reject/", {"member_id": OTHER},                         LOGIN, 404, 403, SAVED, SAVED),
]  # fmt: skip

A = f"/api/servers/{DEMO_GUILD_ID}/"
OK, QUEUED = 200, 202
#        method, API endpoint, JSON body                    anonymous other-club member delegated manage-server
API = [
    ("get", A.rstrip("/"), None,                              401, 404, 403, OK, OK),
    ("get", f"{A}invite", None,                               401, 404, 403, OK, OK),
    ("get", f"{A}bot", None,                                  401, 404, 403, OK, OK),
    ("post", f"{A}bot/check", None,                           401, 404, 403, QUEUED, QUEUED),
    ("get", f"{A}channels", None,                             401, 404, 403, OK, OK),
    ("get", f"{A}settings", None,                             401, 404, 403, OK, OK),
    ("patch", f"{A}settings", {"results_mode": "official"},   401, 404, 403, OK, OK),
    ("post", f"{A}member-sync", None,                         401, 404, 403, QUEUED, QUEUED),
    ("get", f"{A}member-sync", None,                          401, 404, 403, OK, OK),
    ("post", f"{A}test-post", None,                           401, 404, 403, QUEUED, QUEUED),
    ("get", f"{A}intents", None,                              401, 404, 403, OK, OK),
    ("get", f"{A}intents/{{intent}}", None,                   401, 404, 403, OK, OK),
]  # fmt: skip

#        per-user identity page (method, path)               anonymous other-club member delegated manage-server
IDENTITY = [
    ("get", "/identity/",                                     LOGIN, 200, 200, 200, 200),
    ("post", "/identity/iracing/",                            LOGIN, 503, 503, 503, 503),  # no iRacing client here
    ("get", "/identity/iracing/callback/?state=x&code=y",     LOGIN, 400, 400, 400, 400),  # no sign-in started
    ("get", "/identity/linked-roles/",                        LOGIN, 302, 302, 302, 302),  # to /identity/: verify first
    ("get", "/identity/linked-roles/callback/?state=x",       LOGIN, 400, 400, 400, 400),
]  # fmt: skip


def state() -> tuple[object, ...]:
    """Everything a POST can change, to compare before and after."""
    return (
        list(GuildResultsConfig.objects.values_list("channel_id", "mode", "max_tracked_per_member")),
        list(NumberConfig.objects.values_list("min_number", "max_number")),
        list(GuildSettings.objects.values_list("guild_id", "admin_role_id", "followed_series")),
        AuditEntry.objects.count(),
        list(ClubDiscordSettings.objects.values_list("channel_name_pattern", "results_ping", "reminder_offsets")),
        DiscordIntent.objects.count(),
        list(MemberProposal.objects.order_by("pk").values_list("status", "cust_id")),
        list(MemberLink.objects.values_list("discord_user_id", "cust_id", "verified")),
    )


def club_with_members(world: object) -> ClubSetup:
    setup = populate(world)  # type: ignore[arg-type]
    populate_members(setup)
    return setup


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
    club_with_members(world)
    response = as_who(client, who).get(path)
    assert response.status_code == expected
    if expected == LOGIN:
        assert response["Location"].startswith("/?next=")


@pytest.mark.parametrize(("path", "data", "who", "expected"), _cases(POSTS))
def test_posts(client, standin, world, path, data, who, expected):
    club_with_members(world)
    as_who(client, who)
    before = state()
    response = client.post(path, data)
    assert response.status_code == expected
    if who == "anonymous":
        assert response["Location"].startswith("/?next=")
    if expected == SAVED and who != "anonymous":
        page = path.removeprefix(C).split("/")[0]  # settings/… POSTs return to settings, members/… to members
        assert response["Location"].startswith(f"{C}{page}/#")
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


def _api_cases() -> list:  # type: ignore[type-arg]
    return [
        pytest.param(method, path, body, who, expected, id=f"{method}-{path.removeprefix(A) or 'server'}-{who}")
        for method, path, body, *statuses in API
        for who, expected in zip(WHO, statuses, strict=True)
    ]


@pytest.mark.parametrize(("method", "path", "body", "who", "expected"), _api_cases())
def test_api(client, standin, world, method, path, body, who, expected):
    setup = club_with_members(world)
    GuildResultsConfig.objects.create(guild_id=DEMO_GUILD_ID, channel_id=555)  # so a test post has a channel
    intent = DiscordIntent.objects.create(
        club=setup.club, kind=IntentKind.MEMBER_SYNC, idempotency_key="k", nonce="n", not_before=timezone.now()
    )
    as_who(client, who)
    before = state()
    kwargs = {"data": body, "content_type": "application/json"} if body is not None else {}
    response = getattr(client, method)(path.format(intent=intent.pk), **kwargs)
    assert response.status_code == expected
    assert (state() != before) == (expected in (QUEUED, OK) and method != "get")


def _identity_cases() -> list:  # type: ignore[type-arg]
    return [
        pytest.param(method, path, who, expected, id=f"{method}-{path.split('?')[0]}-{who}")
        for method, path, *statuses in IDENTITY
        for who, expected in zip(WHO, statuses, strict=True)
    ]


@pytest.mark.parametrize(("method", "path", "who", "expected"), _identity_cases())
def test_identity_pages_are_per_user(client, standin, world, method, path, who, expected):
    club_with_members(world)
    response = getattr(as_who(client, who), method)(path)
    assert response.status_code == expected
    if who == "anonymous":
        assert response["Location"].startswith("/?next=")
    elif expected == 302:
        assert response["Location"] == "/identity/"
