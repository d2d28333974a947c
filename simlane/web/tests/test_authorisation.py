"""Every dashboard page checks, on the server, who is asking: anonymous, a member, a manager of another server."""

from __future__ import annotations

import pytest
from django.test import Client

from simlane.clubs.models import Club
from simlane.discord_oauth_standin import DEMO_ADMIN_ID, DEMO_GUILD_ID, DEMO_MEMBER_ID
from simlane.discord_oauth_standin.world import DEMO_OTHER_GUILD_ID, MEMBER_PERMISSIONS

from .conftest import authorize_on_standin, local, login

pytestmark = pytest.mark.django_db

SERVER = f"/dashboard/servers/{DEMO_GUILD_ID}/"
PAGES = [
    ("get", "/dashboard/"),
    ("get", SERVER),
    ("post", f"{SERVER}add/"),
    ("get", "/dashboard/discord/bot-added/?state=x&code=y"),
]


@pytest.mark.parametrize(("method", "path"), PAGES, ids=[p for _, p in PAGES])
def test_anonymous_is_sent_to_log_in(client, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/?next=")
    assert "simlane_bot_add_states" not in client.session


@pytest.mark.parametrize(("method", "suffix"), [("get", ""), ("post", "add/")], ids=["overview", "add-simlane"])
def test_a_member_without_manage_server_gets_404(client, standin, method, suffix):
    login(client, user_id=DEMO_MEMBER_ID)
    response = getattr(client, method)(f"{SERVER}{suffix}")
    assert response.status_code == 404
    assert "simlane_bot_add_states" not in client.session


@pytest.mark.parametrize(
    "guild_id", [DEMO_OTHER_GUILD_ID, 999999999999999999], ids=["only-a-member-there", "not-a-member"]
)
def test_a_manager_cannot_reach_a_server_they_do_not_manage(client, standin, guild_id):
    login(client)
    assert client.get(f"/dashboard/servers/{guild_id}/").status_code == 404
    assert client.post(f"/dashboard/servers/{guild_id}/add/").status_code == 404
    assert "simlane_bot_add_states" not in client.session


def test_the_manager_sees_their_server(client, standin):
    login(client)
    page = client.get(SERVER)
    assert page.status_code == 200 and "SimLane is not on this server yet" in page.content.decode()


def test_losing_manage_server_before_the_callback_links_nothing(client, standin, world):
    """Discord is asked again at the callback: rights lost meanwhile are not taken from a cached list."""
    login(client)
    redirect = authorize_on_standin(client.post(f"{SERVER}add/")["Location"], user_id=DEMO_ADMIN_ID)
    guild = world.guilds[DEMO_GUILD_ID]
    guild.owner_id, guild.members[DEMO_ADMIN_ID] = DEMO_MEMBER_ID, MEMBER_PERMISSIONS  # demoted meanwhile
    assert client.get(local(redirect)).status_code == 404
    assert not Club.objects.exists()


def test_add_simlane_without_the_csrf_token_is_refused(client, standin):
    login(client)
    browser = Client(enforce_csrf_checks=True)
    browser.cookies = client.cookies  # the same logged-in session, from a page that did not send the token
    response = browser.post(f"{SERVER}add/")
    assert response.status_code == 403
    assert "simlane_bot_add_states" not in browser.session
