"""Signing up, capacity per class, the waitlist and its promotions, the cut-off and withdrawing (real database,
stopped clock)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from simlane.clubs.models import DiscordIntent, IntentKind, IntentStatus
from simlane.events.models import Signup, SignupStatus
from simlane.events.permissions import EventNotFound, EventPermissionDenied
from simlane.events.services import EventError
from simlane.events.services.events import ClassSpec, class_capacity_set, sheet_close_now
from simlane.events.services.signups import signup_save, signup_withdraw, signup_withdraw_mine
from simlane.racenumbers.models import NumberClaim, NumberConfig

from . import factories as f

pytestmark = pytest.mark.django_db
NOW = f.NOW


def statuses(event_id: int) -> dict[str, str]:
    return {
        s.member.display_name: s.status
        for s in Signup.objects.filter(event_id=event_id).exclude(status="withdrawn").select_related("member")
    }


def test_signups_fill_the_class_then_queue_on_the_waitlist():
    club = f.club()
    ev = f.event(club, capacity=2)
    gt3 = ev.classes.get()
    outcomes = []
    for uid in (11, 12, 13, 14):
        who = f.member(club, uid, f"D{uid}")
        outcomes.append(
            signup_save(actor=f.actor(who), event_id=ev.id, class_id=gt3.id, now=NOW + timedelta(minutes=uid))
        )
    assert [o.waitlisted for o in outcomes] == [False, False, True, True]
    assert outcomes[3].message.startswith("GT3 is full: you are number 2 on its waitlist")
    assert statuses(ev.id) == {"D11": "confirmed", "D12": "confirmed", "D13": "waitlisted", "D14": "waitlisted"}


def test_withdrawing_promotes_the_oldest_waiting_signup_and_stamps_it():
    club = f.club()
    ev = f.event(club, capacity=1)
    gt3 = ev.classes.get()
    a, b, c = (f.member(club, uid, name) for uid, name in ((11, "A"), (12, "B"), (13, "C")))
    for i, who in enumerate((a, b, c)):
        signup_save(actor=f.actor(who), event_id=ev.id, class_id=gt3.id, now=NOW + timedelta(minutes=i))
    later = NOW + timedelta(hours=1)
    promoted = signup_withdraw_mine(actor=f.actor(a), event_id=ev.id, now=later)
    assert [p.member.display_name for p in promoted] == ["B"]
    assert statuses(ev.id) == {"B": "confirmed", "C": "waitlisted"}
    assert Signup.objects.get(member=b).promoted_at == later


def test_raising_the_capacity_promotes_from_the_waitlist():
    club = f.club()
    ev = f.event(club, capacity=1)
    gt3 = ev.classes.get()
    for i, uid in enumerate((11, 12, 13)):
        signup_save(
            actor=f.actor(f.member(club, uid, f"D{uid}")),
            event_id=ev.id,
            class_id=gt3.id,
            now=NOW + timedelta(minutes=i),
        )
    class_capacity_set(actor=f.admin_actor(club), event_id=ev.id, class_id=gt3.id, capacity=2, now=NOW)
    assert statuses(ev.id) == {"D11": "confirmed", "D12": "confirmed", "D13": "waitlisted"}


def test_without_a_waitlist_a_full_class_refuses_and_nothing_is_saved():
    club = f.club()
    ev = f.event(club, capacity=1, waitlist=False)
    gt3 = ev.classes.get()
    signup_save(actor=f.actor(f.member(club, 11)), event_id=ev.id, class_id=gt3.id, now=NOW)
    late = f.member(club, 12)
    with pytest.raises(EventError, match="GT3 is full and this event keeps no waitlist"):
        signup_save(actor=f.actor(late), event_id=ev.id, class_id=gt3.id, now=NOW)
    assert not Signup.objects.filter(member=late).exists()


def test_capacity_is_per_class():
    club = f.club()
    ev = f.event(club, classes=[ClassSpec(name="GT3", capacity=1), ClassSpec(name="GT4", capacity=1)])
    gt3, gt4 = ev.classes.order_by("id")
    signup_save(actor=f.actor(f.member(club, 11, "A")), event_id=ev.id, class_id=gt3.id, now=NOW)
    out = signup_save(actor=f.actor(f.member(club, 12, "B")), event_id=ev.id, class_id=gt4.id, now=NOW)
    assert not out.waitlisted


def test_signing_up_twice_changes_the_one_signup_and_a_class_move_frees_the_old_place():
    club = f.club()
    ev = f.event(club, classes=[ClassSpec(name="GT3", capacity=1), ClassSpec(name="GT4", capacity=5)])
    gt3, gt4 = ev.classes.order_by("id")
    a, b = f.member(club, 11, "A"), f.member(club, 12, "B")
    signup_save(actor=f.actor(a), event_id=ev.id, class_id=gt3.id, now=NOW)
    signup_save(actor=f.actor(b), event_id=ev.id, class_id=gt3.id, now=NOW + timedelta(minutes=1))
    out = signup_save(actor=f.actor(a), event_id=ev.id, class_id=gt4.id, now=NOW + timedelta(minutes=2))
    assert out.changed and out.message.startswith("Your signup in GT4 is updated")
    assert Signup.objects.filter(event=ev, member=a).count() == 1
    assert Signup.objects.get(member=b).status == SignupStatus.CONFIRMED  # promoted into A's old GT3 place


def test_signups_before_opening_and_after_the_cut_off_are_refused():
    club = f.club()
    ev = f.event(club, opens_at=NOW + timedelta(hours=1))
    gt3 = ev.classes.get()
    who = f.member(club, 11)
    with pytest.raises(EventError, match="Signups open <t:"):
        signup_save(actor=f.actor(who), event_id=ev.id, class_id=gt3.id, now=NOW)
    after = ev.sheet.closes_at
    with pytest.raises(EventError, match="the cut-off has passed"):
        signup_save(actor=f.actor(who), event_id=ev.id, class_id=gt3.id, now=after)
    assert not Signup.objects.exists()


def test_an_admin_closing_the_sheet_stops_signups():
    club = f.club()
    ev = f.event(club)
    sheet_close_now(actor=f.admin_actor(club), event_id=ev.id, now=NOW)
    with pytest.raises(EventError, match="cut-off has passed"):
        signup_save(actor=f.actor(f.member(club, 11)), event_id=ev.id, class_id=ev.classes.get().id, now=NOW)


def test_a_member_withdraws_only_their_own_signup_and_an_admin_anyones():
    club = f.club()
    ev = f.event(club)
    gt3 = ev.classes.get()
    a, b = f.member(club, 11), f.member(club, 12)
    signup = signup_save(actor=f.actor(a), event_id=ev.id, class_id=gt3.id, now=NOW).signup
    with pytest.raises(EventPermissionDenied, match="only change your own signup"):
        signup_withdraw(actor=f.actor(b), signup_id=signup.id, now=NOW)
    assert Signup.objects.get(id=signup.id).status == SignupStatus.CONFIRMED
    signup_withdraw(actor=f.admin_actor(club), signup_id=signup.id, now=NOW)
    assert Signup.objects.get(id=signup.id).status == SignupStatus.WITHDRAWN


def test_another_clubs_member_cannot_see_or_sign_up():
    club, other = f.club(), f.club(2000, "Other")
    ev = f.event(club)
    stranger = f.member(other, 11)
    with pytest.raises(EventNotFound):
        signup_save(actor=f.actor(stranger), event_id=ev.id, class_id=ev.classes.get().id, now=NOW)
    assert not Signup.objects.exists()


def test_withdrawing_after_the_start_is_refused():
    club = f.club()
    ev = f.event(club)
    a = f.member(club, 11)
    signup_save(actor=f.actor(a), event_id=ev.id, class_id=ev.classes.get().id, now=NOW)
    with pytest.raises(EventError, match="race has started"):
        signup_withdraw_mine(actor=f.actor(a), event_id=ev.id, now=ev.race_at)


def test_preferred_number_defaults_to_the_members_claim_and_refuses_anothers():
    club = f.club()
    NumberConfig.objects.create(guild_id=club.guild_id, pools=["GT3", "GT4"])
    NumberClaim.objects.create(
        guild_id=club.guild_id, pool="GT3", number="07", number_key="7", discord_user_id=11, discord_name="A"
    )
    NumberClaim.objects.create(
        guild_id=club.guild_id, pool="GT3", number="44", number_key="44", discord_user_id=12, discord_name="B"
    )
    ev = f.event(club)
    gt3 = ev.classes.get()
    a, c = f.member(club, 11, "A"), f.member(club, 13, "C")
    assert signup_save(actor=f.actor(a), event_id=ev.id, class_id=gt3.id, now=NOW).signup.preferred_number == "07"
    with pytest.raises(EventError, match="#44 belongs to another member in the GT3 pool"):
        signup_save(actor=f.actor(c), event_id=ev.id, class_id=gt3.id, preferred_number="44", now=NOW)
    with pytest.raises(EventError, match="#7 belongs to another member"):
        signup_save(actor=f.actor(c), event_id=ev.id, class_id=gt3.id, preferred_number="7", now=NOW)
    b = f.member(club, 14, "D")
    signup_save(actor=f.actor(b), event_id=ev.id, class_id=gt3.id, preferred_number="30", now=NOW)
    with pytest.raises(EventError, match="already asked for #30"):
        signup_save(actor=f.actor(c), event_id=ev.id, class_id=gt3.id, preferred_number="30", now=NOW)
    assert (
        signup_save(
            actor=f.actor(c), event_id=ev.id, class_id=gt3.id, preferred_number="12", now=NOW
        ).signup.preferred_number
        == "12"
    )


def test_a_burst_of_changes_queues_one_card_update():
    club = f.club()
    ev = f.event(club)
    gt3 = ev.classes.get()
    for uid in (11, 12, 13):
        signup_save(actor=f.actor(f.member(club, uid)), event_id=ev.id, class_id=gt3.id, now=NOW)
    queued = DiscordIntent.objects.filter(kind=IntentKind.EVENT_SYNC, status=IntentStatus.QUEUED)
    assert [i.payload for i in queued] == [{"event_id": ev.id}]
