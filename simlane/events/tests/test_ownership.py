"""Ownership warnings: what the simulator's member/info says the account owns, stored on the verified account, is
checked at signup; unknown ownership or an unverified link warns of nothing."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth import get_user_model

from simlane.events.ownership import owned_content_record, owned_from_member_info
from simlane.events.services.events import ClassSpec
from simlane.events.services.signups import signup_save
from simlane.identity.models import VerifiedIRacingAccount
from simlane.iracing.models import Car, Track

from . import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def verified(uid: int, cust_id: int) -> VerifiedIRacingAccount:
    user = get_user_model().objects.create(username=f"u{uid}")
    return VerifiedIRacingAccount.objects.create(
        user=user, discord_user_id=uid, cust_id=cust_id, iracing_name="X", method="iracing_oauth", verified_at=f.NOW
    )


async def test_the_simulators_member_info_lists_owned_content_and_signup_warns(stopped_sim):
    _sim, client = stopped_sim
    info = (await client.member_info()).model_dump()
    cars, tracks = owned_from_member_info(info)
    assert cars and tracks  # the simulator's account owns some content

    def scenario() -> tuple[str, str]:
        missing_car = next(c for c in range(1, 1000) if c not in cars)
        owned_track = tracks[0]
        Car.objects.create(car_id=missing_car, name="Unowned Racer", content_hash="x")
        Car.objects.create(car_id=cars[0], name="Owned Racer", content_hash="x")
        Track.objects.create(track_id=owned_track, name="Home Track", content_hash="x")
        club = f.club()
        ev = f.event(
            club, track_id=owned_track, track_name="", classes=[ClassSpec(name="GT3", car_ids=[missing_car, cars[0]])]
        )
        gt3 = ev.classes.get()
        verified(11, info["cust_id"])
        assert owned_content_record(cust_id=info["cust_id"], info=info)
        who = f.actor(f.member(club, 11))
        warned = signup_save(actor=who, event_id=ev.id, class_id=gt3.id, car_id=missing_car, now=f.NOW).message
        fine = signup_save(actor=who, event_id=ev.id, class_id=gt3.id, car_id=cars[0], now=f.NOW).message
        return warned, fine

    warned, fine = await sync_to_async(scenario)()
    assert "does not own the Unowned Racer" in warned
    assert "Heads-up" not in fine


def test_nothing_known_warns_nothing():
    Car.objects.create(car_id=5, name="Some Car", content_hash="x")
    club = f.club()
    ev = f.event(club, classes=[ClassSpec(name="GT3", car_ids=[5])])
    verified(11, 500)  # verified, but owned content never read
    out = signup_save(
        actor=f.actor(f.member(club, 11)), event_id=ev.id, class_id=ev.classes.get().id, car_id=5, now=f.NOW
    )
    assert "Heads-up" not in out.message
