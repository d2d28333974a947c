"""The JSON API: each endpoint's answer for the server's manager, and who is refused (anonymous 401, everyone who
may not manage the server 404, as the pages), CSRF on writes, and the OpenAPI document listing every endpoint."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from simlane.clubs.discord_permissions import invite_permissions
from simlane.clubs.health.services import ChannelUse, Snapshot, health_record
from simlane.clubs.models import Club, DiscordIntent, IntentKind, IntentStatus
from simlane.discord_oauth_standin import DEMO_GUILD_ID, DEMO_MEMBER_ID
from simlane.discord_oauth_standin.world import DEMO_OTHER_GUILD_ID
from simlane.results.models import GuildResultsConfig
from simlane.results.services import results_channel_set

from .conftest import login

pytestmark = pytest.mark.django_db

G = DEMO_GUILD_ID
RESULTS, NO_EMBEDS, CHAT = 330000000000000001, 330000000000000002, 330000000000000003
ENDPOINTS = [
    ("get", "/servers/{g}"),
    ("get", "/servers/{g}/invite"),
    ("get", "/servers/{g}/bot"),
    ("post", "/servers/{g}/bot/check"),
    ("get", "/servers/{g}/channels"),
    ("get", "/servers/{g}/settings"),
    ("patch", "/servers/{g}/settings"),
    ("post", "/servers/{g}/member-sync"),
    ("get", "/servers/{g}/member-sync"),
    ("post", "/servers/{g}/test-post"),
    ("get", "/servers/{g}/intents"),
    ("get", "/servers/{g}/intents/{i}"),
]
IDS = [f"{m}-{p}" for m, p in ENDPOINTS]


def url(path: str, guild_id: int = G, intent_id: int = 1) -> str:
    return "/api" + path.format(g=guild_id, i=intent_id)


def call(client: Client, method: str, path: str) -> Any:
    if method == "patch":
        return client.patch(path, data={"results_mode": "official"}, content_type="application/json")
    return getattr(client, method)(path)


@pytest.fixture
def club() -> Club:
    """The demo server with SimLane on it, and the bot's last look at it: one channel where it lacks Embed Links."""
    club = Club.objects.create(guild_id=G, name="SimLane Demo Club")
    health_record(
        snapshot=Snapshot(
            guild_id=G,
            guild_name="SimLane Demo Club",
            missing_by_feature={"results": [], "car_numbers": [], "events": ["Create Events"]},
            channel_uses=[ChannelUse("results", RESULTS, "race-results", True, ())],
            channels=[
                {"id": str(RESULTS), "name": "race-results", "category": "Racing", "missing": []},
                {"id": str(NO_EMBEDS), "name": "no-embeds", "category": "", "missing": ["Embed Links"]},
                {"id": str(CHAT), "name": "chat", "category": "", "missing": []},
            ],
        ),
        now=timezone.now(),
    )
    return club


@pytest.mark.parametrize(("method", "path"), ENDPOINTS, ids=IDS)
def test_anonymous_gets_401(client, club, method, path):
    response = call(client, method, url(path))
    assert response.status_code == 401
    assert not DiscordIntent.objects.exists()


@pytest.mark.parametrize(("method", "path"), ENDPOINTS, ids=IDS)
def test_a_member_without_manage_server_gets_404(client, standin, club, method, path):
    login(client, user_id=DEMO_MEMBER_ID)
    assert call(client, method, url(path)).status_code == 404
    assert not DiscordIntent.objects.exists() and not GuildResultsConfig.objects.exists()


@pytest.mark.parametrize(("method", "path"), ENDPOINTS, ids=IDS)
def test_a_manager_gets_404_for_a_server_they_do_not_manage(client, standin, club, method, path):
    Club.objects.create(guild_id=DEMO_OTHER_GUILD_ID, name="Another League")
    login(client)
    assert call(client, method, url(path, guild_id=DEMO_OTHER_GUILD_ID)).status_code == 404
    assert not DiscordIntent.objects.exists() and not GuildResultsConfig.objects.exists()


def test_another_servers_intent_is_not_found_through_yours(client, standin, club):
    other = Club.objects.create(guild_id=DEMO_OTHER_GUILD_ID, name="Another League")
    theirs = DiscordIntent.objects.create(
        club=other, kind=IntentKind.MEMBER_SYNC, idempotency_key="k", nonce="n", not_before=timezone.now()
    )
    login(client)
    assert client.get(url("/servers/{g}/intents/{i}", intent_id=theirs.id)).status_code == 404
    assert client.get(url("/servers/{g}/intents")).json() == []


def test_server_info_and_invite(client, standin, club):
    login(client)
    info = client.get(url("/servers/{g}")).json()
    assert info["id"] == str(G) and info["name"] == "SimLane Demo Club" and info["owner"] is True
    assert info["simlane_added"] is True
    invite = urlsplit(client.get(url("/servers/{g}/invite")).json()["url"])
    query = {k: v[0] for k, v in parse_qs(invite.query).items()}
    assert query["guild_id"] == str(G) and query["permissions"] == str(invite_permissions())
    assert query["state"] in client.session["simlane_bot_add_states"]  # bound to this session, as the page's


def test_bot_status_and_channels_come_from_the_bots_snapshot(client, standin, club):
    login(client)
    status = client.get(url("/servers/{g}/bot")).json()
    assert status["known"] and status["connected"]
    assert [p["missing"] for p in status["problems"]] == [["Create Events"]]
    assert "SimLane needs Create Events on this server" in status["problems"][0]["text"]
    channels = client.get(url("/servers/{g}/channels")).json()
    assert [(c["id"], c["bot_can_post"]) for c in channels] == [
        (str(RESULTS), True),
        (str(NO_EMBEDS), False),
        (str(CHAT), True),
    ]


def test_a_stale_heartbeat_reads_as_disconnected(client, standin, club):
    from simlane.clubs.models import BotGuildHealth

    BotGuildHealth.objects.filter(guild_id=G).update(last_seen=datetime(2020, 1, 1, tzinfo=UTC))
    login(client)
    assert client.get(url("/servers/{g}/bot")).json()["connected"] is False


def test_settings_read_and_change_through_the_results_services(client, standin, club):
    login(client)
    assert client.get(url("/servers/{g}/settings")).json()["results_channel_id"] is None
    changed = client.patch(
        url("/servers/{g}/settings"),
        data={"results_channel_id": str(RESULTS), "results_mode": "official", "include_hosted": True},
        content_type="application/json",
    )
    assert changed.status_code == 200, changed.content
    config = GuildResultsConfig.objects.get(guild_id=G)
    assert (config.channel_id, config.mode, config.include_hosted) == (RESULTS, "official", True)
    assert changed.json()["results_channel_id"] == str(RESULTS)
    # The bot is asked to check the new channel at once.
    assert list(DiscordIntent.objects.values_list("kind", flat=True)) == [IntentKind.REFRESH_HEALTH]


@pytest.mark.parametrize(
    ("channel_id", "says"),
    [(NO_EMBEDS, "SimLane can't post in #no-embeds: it needs Embed Links there."), (999, "has not seen that")],
    ids=["bot-lacks-embed-links", "unknown-channel"],
)
def test_a_channel_the_bot_cannot_post_in_is_refused_and_nothing_changes(client, standin, club, channel_id, says):
    login(client)
    refused = client.patch(
        url("/servers/{g}/settings"),
        data={"results_channel_id": str(channel_id), "results_mode": "official"},
        content_type="application/json",
    )
    assert refused.status_code == 400 and says in refused.json()["detail"]
    assert not GuildResultsConfig.objects.exists() and not DiscordIntent.objects.exists()


def test_a_bad_mode_is_refused(client, standin, club):
    login(client)
    refused = client.patch(
        url("/servers/{g}/settings"), data={"results_mode": "sometimes"}, content_type="application/json"
    )
    assert refused.status_code == 422
    assert not GuildResultsConfig.objects.exists()


def test_member_sync_is_queued_and_its_status_shown(client, standin, club):
    login(client)
    assert client.get(url("/servers/{g}/member-sync")).json() == {"latest": None}
    started = client.post(url("/servers/{g}/member-sync"))
    assert started.status_code == 202 and started.json()["status"] == "queued"
    latest = client.get(url("/servers/{g}/member-sync")).json()["latest"]
    assert latest["id"] == started.json()["id"] and latest["kind"] == "member_sync"


def test_test_post_is_queued_for_the_results_channel(client, standin, club):
    login(client)
    refused = client.post(url("/servers/{g}/test-post"))
    assert refused.status_code == 400 and "No results channel" in refused.json()["detail"]
    results_channel_set(guild_id=G, channel_id=RESULTS)
    queued = client.post(url("/servers/{g}/test-post"))
    assert queued.status_code == 202
    intent = DiscordIntent.objects.get(id=queued.json()["id"])
    assert (intent.kind, intent.status, intent.payload) == (
        IntentKind.POST_TEST_MESSAGE,
        IntentStatus.QUEUED,
        {"channel_id": str(RESULTS)},
    )
    listed = client.get(url("/servers/{g}/intents")).json()
    assert [i["id"] for i in listed] == [intent.id]
    assert client.get(url("/servers/{g}/intents/{i}", intent_id=intent.id)).json()["status"] == "queued"


def test_the_same_idempotency_key_queues_one_intent(client, standin, club):
    login(client)
    first = client.post(url("/servers/{g}/member-sync"), headers={"Idempotency-Key": "abc"})
    again = client.post(url("/servers/{g}/member-sync"), headers={"Idempotency-Key": "abc"})
    assert first.json()["id"] == again.json()["id"] and DiscordIntent.objects.count() == 1


def test_actions_on_a_server_without_simlane_are_refused(client, standin):
    login(client)
    response = client.post(url("/servers/{g}/member-sync"))
    assert response.status_code == 409 and "add it first" in response.json()["detail"]
    assert not DiscordIntent.objects.exists()


@pytest.mark.parametrize(
    ("method", "path"), [(m, p) for m, p in ENDPOINTS if m != "get"], ids=[i for i in IDS if not i.startswith("get")]
)
def test_writes_without_the_csrf_token_are_refused(client, standin, club, method, path):
    login(client)
    results_channel_set(guild_id=G, channel_id=RESULTS)
    browser = Client(enforce_csrf_checks=True)
    browser.cookies = client.cookies  # the same logged-in session, from a page that did not send the token
    response = call(browser, method, url(path))
    assert response.status_code == 403
    assert not DiscordIntent.objects.exists()
    assert GuildResultsConfig.objects.get(guild_id=G).mode == "all"


def test_writes_with_the_csrf_token_pass(client, standin, club):
    login(client)
    browser = Client(enforce_csrf_checks=True)
    browser.cookies = client.cookies
    browser.get(f"/dashboard/servers/{G}/")  # a page with a form sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    response = browser.post(url("/servers/{g}/member-sync"), headers={"X-CSRFToken": token})
    assert response.status_code == 202


def test_openapi_lists_every_endpoint(client):
    schema = client.get("/api/openapi.json")
    assert schema.status_code == 200
    listed = {(m, p) for p, ops in schema.json()["paths"].items() for m in ops}
    expected = {(m, "/api" + p.replace("{g}", "{guild_id}").replace("{i}", "{intent_id}")) for m, p in ENDPOINTS}
    assert listed == expected
    assert client.get("/api/docs").status_code == 200
