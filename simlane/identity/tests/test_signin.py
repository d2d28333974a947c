"""Sign in with iRacing through the Django test client, against the simulator and the Discord stand-in over HTTP."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.utils.html import escape

from simlane.discord_oauth_standin import DEMO_ADMIN_ID, DEMO_MEMBER_ID
from simlane.identity.models import VerifiedIRacingAccount
from simlane.racenumbers.models import AuditEntry, MemberLink
from simlane.web.tests.conftest import local, login

from .conftest import authorize_on_iracing, sign_in_with_iracing, start_iracing

pytestmark = pytest.mark.django_db

GUILD_A, GUILD_B, GUILD_C, GUILD_D = 5001, 5002, 5003, 5004


def link(guild_id: int, user_id: int, cust_id: int) -> MemberLink:
    return MemberLink.objects.create(guild_id=guild_id, discord_user_id=user_id, cust_id=cust_id, iracing_name="x")


def state_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["state"][0]


def test_signing_in_verifies_the_account_and_the_members_links_to_it_on_every_server(client, standin, iracing):
    me = iracing.world.by_id[iracing.authcode.logins[1]]
    other = iracing.authcode.logins[2]
    link(GUILD_A, DEMO_ADMIN_ID, me.cust_id)
    link(GUILD_B, DEMO_ADMIN_ID, me.cust_id)
    link(GUILD_C, DEMO_ADMIN_ID, other)  # a link to another account: the proof says nothing about it
    link(GUILD_D, DEMO_MEMBER_ID, me.cust_id)  # someone else's pending link to my account stays pending
    login(client)

    response = sign_in_with_iracing(client, cust_id=me.cust_id)

    assert response.status_code == 302 and response["Location"] == "/identity/"
    account = VerifiedIRacingAccount.objects.get()
    assert (account.discord_user_id, account.cust_id, account.iracing_name, account.method) == (
        DEMO_ADMIN_ID,
        me.cust_id,
        me.display_name,
        "iracing_oauth",
    )
    verified = dict(MemberLink.objects.values_list("guild_id", "verified"))
    assert verified == {GUILD_A: True, GUILD_B: True, GUILD_C: False, GUILD_D: False}
    assert set(AuditEntry.objects.filter(action="verify").values_list("guild_id", flat=True)) == {GUILD_A, GUILD_B}
    page = client.get("/identity/").content.decode()
    assert f"Verified: {escape(me.display_name)} ({me.cust_id})" in page  # escaped: names are user text
    assert page.count('data-testid="link-verified"') == 2


def test_without_a_car_number_link_the_page_says_what_to_do(client, standin, iracing):
    login(client)
    cust_id = iracing.authcode.logins[0]
    sign_in_with_iracing(client, cust_id=cust_id)
    page = client.get("/identity/").content.decode()
    assert "No car-number link to verify" in page and f"customer id {cust_id}" in page
    assert not MemberLink.objects.exists()


def test_a_forged_or_replayed_state_is_refused_and_changes_nothing(client, standin, iracing):
    login(client)
    cust_id = iracing.authcode.logins[0]
    back = authorize_on_iracing(start_iracing(client), cust_id=cust_id)
    forged = back.replace(state_of(back), "forged-state")
    response = client.get(local(forged))
    assert response.status_code == 400 and b"not valid or was already used" in response.content
    assert not VerifiedIRacingAccount.objects.exists()

    # The real state was not spent by the forgery; it works once, and a replay of the same callback does not.
    assert client.get(local(back)).status_code == 302
    verified_at = VerifiedIRacingAccount.objects.get().verified_at
    replay = client.get(local(back))
    assert replay.status_code == 400
    assert VerifiedIRacingAccount.objects.get().verified_at == verified_at


def test_a_spent_code_under_a_fresh_state_is_refused_by_iracing(client, standin, iracing):
    login(client)
    first = authorize_on_iracing(start_iracing(client), cust_id=iracing.authcode.logins[0])
    assert client.get(local(first)).status_code == 302
    before = VerifiedIRacingAccount.objects.get()

    fresh_state = state_of(start_iracing(client))
    code = parse_qs(urlsplit(first).query)["code"][0]
    response = client.get(f"/identity/iracing/callback/?code={code}&state={fresh_state}")

    assert response.status_code == 400 and b"iRacing refused this sign-in" in response.content
    assert VerifiedIRacingAccount.objects.get().verified_at == before.verified_at
    assert iracing.counters["token:400"] == 1


def test_a_code_injected_from_another_browser_fails_pkce(client, standin, iracing):
    """An attacker signs in as their own account and plants the code in the victim's callback: the victim's PKCE
    verifier does not match the attacker's challenge, so iRacing refuses and the victim is not tied to it."""
    attacker = Client()
    login(attacker, user_id=DEMO_MEMBER_ID)
    attacker_back = authorize_on_iracing(start_iracing(attacker), cust_id=iracing.authcode.logins[3])
    code = parse_qs(urlsplit(attacker_back).query)["code"][0]

    login(client)
    victim_state = state_of(start_iracing(client))
    response = client.get(f"/identity/iracing/callback/?code={code}&state={victim_state}")

    assert response.status_code == 400 and b"iRacing refused this sign-in" in response.content
    assert not VerifiedIRacingAccount.objects.exists()
    refused = [c for c in iracing.calls if c["kind"] == "token"]
    assert [(c["path"], c["status"]) for c in refused] == [("authorization_code", 400)]


def test_denying_on_iracing_changes_nothing(client, standin, iracing):
    login(client)
    response = sign_in_with_iracing(client, cust_id=iracing.authcode.logins[0], decision="deny")
    assert response.status_code == 400 and b"You did not allow SimLane" in response.content
    assert not VerifiedIRacingAccount.objects.exists()


def test_iracing_maintenance_shows_a_clear_page_and_changes_nothing(client, standin, iracing):
    cust_id = iracing.authcode.logins[0]
    link(GUILD_A, DEMO_ADMIN_ID, cust_id)
    login(client)
    iracing.faults.add("maintenance", endpoint="oauth2/token")
    response = sign_in_with_iracing(client, cust_id=cust_id)
    assert response.status_code == 503 and b"iRacing is under maintenance" in response.content
    assert not VerifiedIRacingAccount.objects.exists()
    assert MemberLink.objects.get().verified is False


def test_the_pages_need_a_discord_login(client, standin, iracing):
    for path in ("/identity/", "/identity/iracing/callback/?code=x&state=y", "/identity/linked-roles/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/?next="), path
    assert client.post("/identity/iracing/").status_code == 302
    assert not VerifiedIRacingAccount.objects.exists()
