"""Discord Linked Roles: the metadata SimLane registers and the role connection it writes, as the stand-in got them."""

from __future__ import annotations

import asyncio

import pytest
from django.core.management import call_command

from simlane.clubs.crypto import decrypt
from simlane.discord_oauth_standin import DEMO_ADMIN_ID, DEMO_MEMBER_ID
from simlane.identity import services
from simlane.identity.models import RoleConnectionGrant
from simlane.iracing.client import IRacingClient
from simlane.iracing.client.models import SubsessionResult
from simlane.iracing.client.redaction import redact
from simlane.iracing.models import Subsession
from simlane.iracing.simulator.local import demo_client_config
from simlane.results.poller.ingest import SubsessionFetcher
from simlane.web.tests.conftest import login

from .conftest import link_roles, sign_in_with_iracing

pytestmark = pytest.mark.django_db

APP = "100000000000000001"  # the stand-in's application id


def test_register_metadata_sends_the_four_records(standin, capsys):
    call_command("discord", "register-metadata")
    assert standin.role_connections.metadata[APP] == [
        {
            "type": 7,
            "key": "verified_driver",
            "name": "Verified iRacing driver",
            "description": "Signed in with iRacing on SimLane",
        },
        {"type": 2, "key": "irating", "name": "iRating", "description": "iRating (road) at least"},
        {
            "type": 2,
            "key": "license_class",
            "name": "Licence class",
            "description": "Licence class at least: 1 Rookie, 2 D, 3 C, 4 B, 5 A, 6 Pro",
        },
        {
            "type": 2,
            "key": "safety_rating",
            "name": "Safety rating × 100",
            "description": "Safety rating × 100 at least (3.50 is 350)",
        },
    ]
    assert "4 Linked Roles metadata records registered" in capsys.readouterr().out


def test_linking_roles_writes_the_verified_drivers_connection_and_ratings_refresh_it(client, standin, iracing):
    call_command("discord", "register-metadata")
    me = iracing.world.by_id[iracing.authcode.logins[0]]
    login(client)
    sign_in_with_iracing(client, cust_id=me.cust_id)

    response = link_roles(client, user_id=DEMO_ADMIN_ID)

    assert response.status_code == 302 and response["Location"] == "/identity/"
    assert standin.role_connections.connections[(DEMO_ADMIN_ID, APP)] == {
        "platform_name": "iRacing",
        "platform_username": me.display_name,
        "metadata": {"verified_driver": "1"},  # no race of this driver seen yet: no iRating to claim
    }
    grant = RoleConnectionGrant.objects.get()
    token = decrypt(grant.access_token)
    assert token and token not in grant.access_token
    assert redact(f"Bearer {token} and {token}") == "Bearer [REDACTED] and [REDACTED]"

    assert services.role_connection_refresh(cust_id=me.cust_id, irating=3210, license_level=14, safety_rating=352)
    assert standin.role_connections.connections[(DEMO_ADMIN_ID, APP)]["metadata"] == {
        "verified_driver": "1",
        "irating": "3210",
        "license_class": "4",
        "safety_rating": "352",
    }
    sent = len(standin.role_connections.requests)
    # The same values again: nothing to tell Discord; an account nobody verified: ignored.
    assert not services.role_connection_refresh(cust_id=me.cust_id, irating=3210)
    assert not services.role_connection_refresh(cust_id=iracing.authcode.logins[1], irating=5000)
    assert len(standin.role_connections.requests) == sent


def test_linked_roles_need_a_verified_account_first(client, standin, iracing):
    login(client)
    response = client.get("/identity/linked-roles/")
    assert response.status_code == 302 and response["Location"] == "/identity/"
    assert not standin.role_connections.requests


def test_authorising_another_discord_account_is_refused(client, standin, iracing):
    call_command("discord", "register-metadata")
    login(client)
    sign_in_with_iracing(client, cust_id=iracing.authcode.logins[0])
    response = link_roles(client, user_id=DEMO_MEMBER_ID)  # logged in as the admin, consents as the member
    assert response.status_code == 400 and b"different Discord account" in response.content
    assert not RoleConnectionGrant.objects.exists()
    assert (DEMO_MEMBER_ID, APP) not in standin.role_connections.connections


@pytest.mark.parametrize(
    ("level", "klass"), [(1, 1), (4, 1), (5, 2), (12, 3), (13, 4), (20, 5), (21, 6), (0, None), (None, None)]
)
def test_license_class_from_iracing_license_level(level, klass):
    assert services.license_class(level) == klass


@pytest.mark.django_db(transaction=True)
def test_a_race_result_refreshes_the_verified_drivers_linked_roles(client, standin, iracing):
    """The results pipeline's first sight of a finished race updates the role connection of a verified driver in it."""
    world, now = iracing.world, iracing.clock.time()
    race = next(
        (m, s.subsession_id(world.split_of(m, s)))
        for m in world.members
        for s in world.member_sessions(m, now - 2 * 86400, now - 3 * 3600)
        if world.split_of(m, s) is not None
    )
    driver, subsession_id = race
    iracing.authcode.logins = (driver.cust_id,)
    call_command("discord", "register-metadata")
    login(client)
    sign_in_with_iracing(client, cust_id=driver.cust_id)
    link_roles(client, user_id=DEMO_ADMIN_ID)
    assert standin.role_connections.connections[(DEMO_ADMIN_ID, APP)]["metadata"] == {"verified_driver": "1"}

    async def fetch() -> SubsessionResult | None:
        async with IRacingClient(demo_client_config(iracing.base_url), clock=iracing.clock) as api:
            return await SubsessionFetcher(api).get(subsession_id)

    result = asyncio.run(fetch())
    assert result is not None
    # What iRacing's result says of this driver, read from the answer as stored (not through SimLane's parsing).
    raw = Subsession.objects.get(subsession_id=subsession_id).payload
    rows = [r for s in raw["session_results"] if s["simsession_number"] == 0 for r in s["results"]]
    mine = next(r for r in rows if r["cust_id"] == driver.cust_id)
    metadata = standin.role_connections.connections[(DEMO_ADMIN_ID, APP)]["metadata"]
    assert metadata["irating"] == str(mine["newi_rating"])
    assert metadata["safety_rating"] == str(mine["new_sub_level"])
