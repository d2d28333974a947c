"""Login with Discord and Add SimLane, through the Django test client and the OAuth stand-in over loopback."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import discord
import pytest
from django.test import Client

from simlane.clubs.crypto import decrypt
from simlane.clubs.models import Club, ClubMember, ClubRole, DiscordCredential
from simlane.discord_oauth_standin import DEMO_ADMIN_ID, DEMO_GUILD_ID, DEMO_MEMBER_ID, MemoryWorld
from simlane.iracing.client.redaction import redact

from .conftest import authorize_on_standin, local, login

pytestmark = pytest.mark.django_db

# Written out from Discord's permission names with discord.py, not from SimLane's list.
EXPECTED_INVITE = discord.Permissions(
    view_channel=True,
    send_messages=True,
    embed_links=True,
    attach_files=True,
    read_message_history=True,
    manage_channels=True,
    manage_roles=True,
    manage_threads=True,
    create_public_threads=True,
    create_private_threads=True,
    send_messages_in_threads=True,
    manage_events=True,
    create_events=True,
    pin_messages=True,
    connect=True,
    move_members=True,
).value


def start_add(client: Client, guild_id: int = DEMO_GUILD_ID) -> str:
    response = client.post(f"/dashboard/servers/{guild_id}/add/")
    assert response.status_code == 302
    return response["Location"]


def test_login_shows_only_servers_the_user_manages(client, standin):
    response = login(client)
    assert response.status_code == 302 and response["Location"] == "/dashboard/"

    page = client.get("/dashboard/").content.decode()
    assert "SimLane Demo Club" in page and "Add SimLane" in page
    assert "Another League" not in page  # the admin is only a member there

    credential = DiscordCredential.objects.get()
    assert credential.discord_user_id == DEMO_ADMIN_ID
    access = decrypt(credential.access_token)
    assert access and access not in credential.access_token  # stored encrypted, readable with the key
    assert redact(f"Authorization: {access}") == "Authorization: [REDACTED]"  # never logged


def test_a_member_without_manage_server_sees_no_server(client, standin):
    login(client, user_id=DEMO_MEMBER_ID)
    page = client.get("/dashboard/").content.decode()
    assert "SimLane Demo Club" not in page
    assert "do not manage any Discord server" in page


def test_add_simlane_asks_discord_for_exactly_the_features_permissions_and_links_the_server(client, standin, world):
    login(client)
    url = start_add(client)
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert url.startswith(f"{standin.base_url}/oauth2/authorize?")
    assert query["client_id"] == "100000000000000001"
    assert query["scope"] == "bot applications.commands"
    assert int(query["permissions"]) == EXPECTED_INVITE
    assert int(query["permissions"]) & (1 << 44) and int(query["permissions"]) & (1 << 51)  # Create Events, Pin
    assert query["guild_id"] == str(DEMO_GUILD_ID) and query["disable_guild_select"] == "true"
    assert query["redirect_uri"] == "http://testserver/dashboard/discord/bot-added/"

    back = client.get(local(authorize_on_standin(url, user_id=DEMO_ADMIN_ID)))
    assert back.status_code == 302 and back["Location"] == "/dashboard/"

    club = Club.objects.get()
    assert (club.guild_id, club.name, club.active, club.bot_permissions) == (
        DEMO_GUILD_ID,
        "SimLane Demo Club",
        True,
        EXPECTED_INVITE,
    )
    member = ClubMember.objects.get()
    assert (member.discord_user_id, member.role, member.user_id) == (DEMO_ADMIN_ID, ClubRole.OWNER, club.linked_by_id)
    assert world.guilds[DEMO_GUILD_ID].bot_present
    page = client.get("/dashboard/").content.decode()
    assert "SimLane is here" in page and "SimLane is now on SimLane Demo Club" in page


def callback_query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda q: q | {"state": q["state"][:-2] + "xx"}, id="tampered-state"),
        pytest.param(lambda q: {k: v for k, v in q.items() if k != "state"}, id="missing-state"),
        pytest.param(lambda q: q | {"state": ""}, id="empty-state"),
    ],
)
def test_a_callback_with_a_bad_state_links_nothing(client, standin, tamper):
    login(client)
    redirect = authorize_on_standin(start_add(client), user_id=DEMO_ADMIN_ID)
    query = tamper(callback_query(redirect))
    response = client.get("/dashboard/discord/bot-added/", query)
    assert response.status_code == 302
    assert not Club.objects.exists()
    assert "not valid" in client.get("/dashboard/").content.decode()


def test_a_state_is_single_use(client, standin):
    login(client)
    first = callback_query(authorize_on_standin(start_add(client), user_id=DEMO_ADMIN_ID))
    client.get("/dashboard/discord/bot-added/", first)
    Club.objects.all().delete()
    # Replayed with a fresh, valid code: only the used-up state is wrong.
    fresh = callback_query(authorize_on_standin(start_add(client), user_id=DEMO_ADMIN_ID))
    client.get("/dashboard/discord/bot-added/", fresh | {"state": first["state"]})
    assert not Club.objects.exists()


def test_a_state_from_another_session_is_refused(client, standin):
    login(client)
    redirect = authorize_on_standin(start_add(client), user_id=DEMO_ADMIN_ID)
    attacker = Client()
    login(attacker)  # same Discord user, another browser: the state was not issued to this session
    attacker.get(local(redirect))
    assert not Club.objects.exists()


def test_an_expired_state_is_refused(client, standin):
    login(client)
    redirect = authorize_on_standin(start_add(client), user_id=DEMO_ADMIN_ID)
    session = client.session
    states = session["simlane_bot_add_states"]
    for entry in states.values():
        entry["expires"] -= 11 * 60  # as if the admin came back eleven minutes later
    session["simlane_bot_add_states"] = states
    session.save()
    client.get(local(redirect))
    assert not Club.objects.exists()
    assert "expired" in client.get("/dashboard/").content.decode()


def test_the_bot_added_to_another_server_than_the_state_names_links_nothing(client, standin, world: MemoryWorld):
    world.add_guild(330000000000000001, "Admin's Other Server", owner_id=DEMO_ADMIN_ID)
    login(client)
    # The admin unlocks the picker and chooses another server they manage.
    redirect = authorize_on_standin(start_add(client), user_id=DEMO_ADMIN_ID, guild_id=330000000000000001)
    client.get(local(redirect))
    assert not Club.objects.exists()
    assert "different server" in client.get("/dashboard/").content.decode()


def test_cancel_on_discord_links_nothing(client, standin):
    login(client)
    redirect = authorize_on_standin(start_add(client), user_id=DEMO_ADMIN_ID, decision="cancel")
    assert "error=access_denied" in redirect
    client.get(local(redirect))
    assert not Club.objects.exists()
    assert "cancelled" in client.get("/dashboard/").content.decode()


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "/\\evil.example/", "http://testserver.evil.example/"],
)
def test_no_open_redirect_after_login(client, standin, next_url):
    response = login(client, next_url=next_url)
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"


def test_a_same_site_next_is_honoured(client, standin):
    response = login(client, next_url=f"/dashboard/servers/{DEMO_GUILD_ID}/")
    assert response["Location"] == f"/dashboard/servers/{DEMO_GUILD_ID}/"


def test_an_expired_access_token_is_refreshed(client, standin):
    login(client)
    credential = DiscordCredential.objects.get()
    old_access, old_refresh = decrypt(credential.access_token), decrypt(credential.refresh_token)
    credential.expires_at = credential.created_at  # in the past
    credential.save()
    assert "SimLane Demo Club" in client.get("/dashboard/?fresh=1").content.decode()
    credential.refresh_from_db()
    assert decrypt(credential.access_token) not in {"", old_access}
    assert decrypt(credential.refresh_token) not in {"", old_refresh}


def test_logout(client, standin):
    login(client)
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/dashboard/").status_code == 302
