"""What a member owns, learnt at sign-in: the sign-in's own token (scope ``iracing.auth``) reads ``member/info`` on
the simulator over HTTP, the verified account keeps the owned cars and tracks, and event signup warns about what is
missing. A failure of that read still signs the member in, and the token never reaches the logs."""

from __future__ import annotations

import logging

import pytest
from django.utils.html import escape

from simlane.discord_oauth_standin import DEMO_ADMIN_ID
from simlane.events.services.events import ClassSpec
from simlane.events.services.signups import signup_save
from simlane.events.tests import factories as f
from simlane.identity.models import VerifiedIRacingAccount
from simlane.iracing.models import Car, Track
from simlane.iracing.simulator.catalog import CARS
from simlane.iracing.simulator.routes.member import owned_packages
from simlane.web.tests.conftest import login

from .conftest import sign_in_with_iracing

pytestmark = pytest.mark.django_db


def owned_by(cust_id: int) -> tuple[list[int], list[int]]:
    """What the simulator's world says ``cust_id`` owns (its own definition, not SimLane's reading of it)."""
    packages = owned_packages(cust_id)
    cars = sorted(p["package_id"] for p in packages["car_packages"])
    tracks = sorted(p["package_id"] for p in packages["track_packages"])
    return cars, tracks


def issued_member_tokens(iracing) -> list[str]:
    tokens = list(iracing.authcode.tokens)
    assert tokens  # the sign-in did get a token
    return tokens


def test_signing_in_records_what_the_account_owns_and_signup_warns_about_a_missing_car(client, standin, iracing):
    cust_id = iracing.authcode.logins[2]
    assert cust_id != iracing.world.members[0].cust_id  # not the simulator's own data account
    cars, tracks = owned_by(cust_id)
    missing = next(car_id for car_id, *_ in CARS if car_id not in cars)
    login(client)

    response = sign_in_with_iracing(client, cust_id=cust_id)

    assert response.status_code == 302 and response["Location"] == "/identity/"
    account = VerifiedIRacingAccount.objects.get()
    assert (account.cust_id, account.owned_car_ids, account.owned_track_ids) == (cust_id, cars, tracks)
    # The member's own token asked: member/info described them, not the simulator's data account.
    assert [c["status"] for c in iracing.calls if c["kind"] == "data" and c["path"] == "member/info"] == [200]

    Car.objects.create(car_id=missing, name="Unowned Prototype", content_hash="x")
    Car.objects.create(car_id=cars[0], name="Owned Tourer", content_hash="x")
    Track.objects.create(track_id=tracks[0], name="Home Track", content_hash="x")
    club = f.club()
    event = f.event(club, track_id=tracks[0], classes=[ClassSpec(name="Open", car_ids=[missing, cars[0]])])
    who = f.actor(f.member(club, DEMO_ADMIN_ID))
    open_class = event.classes.get()

    warned = signup_save(actor=who, event_id=event.id, class_id=open_class.id, car_id=missing, now=f.NOW)
    fine = signup_save(actor=who, event_id=event.id, class_id=open_class.id, car_id=cars[0], now=f.NOW)

    assert "Heads-up: your iRacing account does not own the Unowned Prototype." in warned.message
    assert "Heads-up" not in fine.message


def test_a_refused_member_info_still_signs_in_and_ownership_stays_unknown(client, standin, iracing, caplog):
    cust_id = iracing.authcode.logins[1]
    iracing.faults.add("500", endpoint="member/info")
    login(client)

    with caplog.at_level(logging.DEBUG):
        response = sign_in_with_iracing(client, cust_id=cust_id)

    assert response.status_code == 302 and response["Location"] == "/identity/"
    account = VerifiedIRacingAccount.objects.get()
    assert account.cust_id == cust_id
    assert (account.owned_car_ids, account.owned_track_ids) == (None, None)
    assert f"Verified: {escape(account.iracing_name)} ({cust_id})" in client.get("/identity/").content.decode()
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("member/info" in w and str(cust_id) in w for w in warnings), warnings
    for token in issued_member_tokens(iracing):
        assert token not in caplog.text


def test_a_token_the_data_api_refuses_still_signs_in(client, standin, iracing):
    cust_id = iracing.authcode.logins[2]
    iracing.faults.add("expired_token", endpoint="member/info")
    login(client)

    response = sign_in_with_iracing(client, cust_id=cust_id)

    assert response.status_code == 302
    assert VerifiedIRacingAccount.objects.get().owned_car_ids is None
    statuses = [c["status"] for c in iracing.calls if c["kind"] == "data" and c["path"] == "member/info"]
    assert statuses == [401]  # one try: the member's token is never renewed nor retried


def test_the_access_token_never_appears_in_the_logs(client, standin, iracing, caplog):
    login(client)
    with caplog.at_level(logging.DEBUG):
        sign_in_with_iracing(client, cust_id=iracing.authcode.logins[1])
    assert VerifiedIRacingAccount.objects.get().owned_car_ids  # the token was used for member/info
    for token in issued_member_tokens(iracing):
        assert token not in caplog.text


def test_a_later_sign_in_to_another_account_forgets_the_first_accounts_content(client, standin, iracing):
    first, second = iracing.authcode.logins[1], iracing.authcode.logins[3]
    login(client)
    sign_in_with_iracing(client, cust_id=first)
    assert VerifiedIRacingAccount.objects.get().owned_car_ids == owned_by(first)[0]

    iracing.faults.add("500", endpoint="member/info")
    sign_in_with_iracing(client, cust_id=second)

    account = VerifiedIRacingAccount.objects.get()
    assert account.cust_id == second
    assert (account.owned_car_ids, account.owned_track_ids) == (None, None)
