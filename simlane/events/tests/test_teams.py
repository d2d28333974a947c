"""Teams: the draft balances iRating and availability, saving checks the admin's edits, finalising gives numbers
from the pools, and stint plans are ordered (real database, stopped clock)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from simlane.clubs.models import Club, ClubMember
from simlane.events.models import Event, EventStatus, Stint, Team
from simlane.events.permissions import EventPermissionDenied
from simlane.events.services import EventError
from simlane.events.services.signups import signup_save
from simlane.events.services.teams import DraftTeam, TeamInput, stint_plan_set, team_draft, teams_finalise, teams_save
from simlane.identity.models import VerifiedIRacingAccount
from simlane.racenumbers.models import MemberLink, NumberClaim, NumberConfig

from . import factories as f

pytestmark = pytest.mark.django_db
NOW = f.NOW
H = timedelta(hours=1)


def rated(club: Club, uid: int, name: str, irating: int, *, verified: bool = True) -> ClubMember:
    row = f.member(club, uid, name)
    MemberLink.objects.create(
        guild_id=club.guild_id, discord_user_id=uid, cust_id=uid * 10, iracing_name=name, verified=verified
    )
    user = get_user_model().objects.create(username=f"u{uid}")
    VerifiedIRacingAccount.objects.create(
        user=user,
        discord_user_id=uid,
        cust_id=uid * 10,
        iracing_name=name,
        method="iracing_oauth",
        verified_at=NOW,
        irating=irating,
    )
    return row


def team_event(club: Club, **kw: Any) -> Event:
    return f.event(club, kind="team", team_min_drivers=2, team_max_drivers=2, duration_minutes=240, **kw)


def names(draft: list[DraftTeam]) -> list[set[str]]:
    return [{d.name for d in t.drivers} for t in draft]


def test_the_draft_balances_team_ratings():
    club = f.club()
    ev = team_event(club)
    gt3 = ev.classes.get()
    for uid, name, ir in ((11, "A", 4000), (12, "B", 3000), (13, "C", 2000), (14, "D", 1000)):
        signup_save(actor=f.actor(rated(club, uid, name, ir)), event_id=ev.id, class_id=gt3.id, now=NOW)
    assert names(team_draft(ev)) == [{"A", "D"}, {"B", "C"}]


def test_the_draft_puts_drivers_with_different_hours_together():
    club = f.club()
    ev = team_event(club)
    gt3 = ev.classes.get()
    first, second = [(ev.race_at, ev.race_at + 2 * H)], [(ev.race_at + 2 * H, ev.race_at + 4 * H)]
    for uid, name, ir, hours in (
        (11, "A", 4000, first),
        (12, "B", 3000, second),
        (13, "C", 2000, second),
        (14, "D", 1000, first),
    ):
        signup_save(
            actor=f.actor(rated(club, uid, name, ir)), event_id=ev.id, class_id=gt3.id, availability=hours, now=NOW
        )
    # By rating alone A+D and B+C; but A and D both drive only the first half, so each team needs one of each.
    # Of the two full-coverage splits, A+C / B+D has the smaller rating gap (3000 vs 2000, not 3500 vs 1500).
    assert sorted(sorted(t) for t in names(team_draft(ev))) == [["A", "C"], ["B", "D"]]


def test_waitlisted_drivers_are_not_drafted():
    club = f.club()
    ev = team_event(club, capacity=2)
    gt3 = ev.classes.get()
    for uid in (11, 12, 13):
        signup_save(
            actor=f.actor(f.member(club, uid, f"D{uid}")), event_id=ev.id, class_id=gt3.id, now=NOW + uid * H / 60
        )
    assert names(team_draft(ev)) == [{"D11", "D12"}]


def test_finalising_needs_full_teams_then_numbers_them_from_the_pool():
    club = f.club()
    NumberConfig.objects.create(guild_id=club.guild_id, min_number=1, max_number=99)
    NumberClaim.objects.create(guild_id=club.guild_id, number="1", number_key="1", discord_user_id=99, discord_name="X")
    ev = team_event(club)
    gt3 = ev.classes.get()
    ids = [
        signup_save(
            actor=f.actor(f.member(club, uid)), event_id=ev.id, class_id=gt3.id, preferred_number=n, now=NOW
        ).signup.id
        for uid, n in ((11, "33"), (12, ""), (13, ""), (14, ""))
    ]
    admin = f.admin_actor(club)
    teams_save(
        actor=admin,
        event_id=ev.id,
        teams=[TeamInput("Red", gt3.id, ids[:2]), TeamInput("Blue", gt3.id, ids[2:3])],
        now=NOW,
    )
    with pytest.raises(EventError, match="Blue needs between 2 and 2 drivers"):
        teams_finalise(actor=admin, event_id=ev.id, now=NOW)
    teams_save(
        actor=admin,
        event_id=ev.id,
        teams=[TeamInput("Red", gt3.id, ids[:2]), TeamInput("Blue", gt3.id, ids[2:])],
        now=NOW,
    )
    teams_finalise(actor=admin, event_id=ev.id, now=NOW)
    ev.refresh_from_db()
    assert ev.status == EventStatus.TEAMS_FINAL
    # Red keeps its driver's #33; Blue gets the lowest number nobody holds (#1 is someone's claim).
    assert dict(Team.objects.values_list("name", "car_number")) == {"Red": "33", "Blue": "2"}
    with pytest.raises(EventError, match="Teams are final"):
        signup_save(actor=f.actor(f.member(club, 15)), event_id=ev.id, class_id=gt3.id, now=NOW)


def test_saving_teams_refuses_bad_edits_and_members():
    club = f.club()
    ev = team_event(club)
    gt3 = ev.classes.get()
    a = f.member(club, 11)
    sid = signup_save(actor=f.actor(a), event_id=ev.id, class_id=gt3.id, now=NOW).signup.id
    with pytest.raises(EventPermissionDenied):
        teams_save(actor=f.actor(a), event_id=ev.id, teams=[TeamInput("Mine", gt3.id, [sid])], now=NOW)
    with pytest.raises(EventError, match="only one team"):
        teams_save(
            actor=f.admin_actor(club),
            event_id=ev.id,
            teams=[TeamInput("X", gt3.id, [sid]), TeamInput("Y", gt3.id, [sid])],
            now=NOW,
        )
    with pytest.raises(EventError, match="Only confirmed drivers"):
        teams_save(actor=f.admin_actor(club), event_id=ev.id, teams=[TeamInput("X", gt3.id, [sid + 100])], now=NOW)
    assert not Team.objects.exists()


def test_a_stint_plan_is_ordered_and_uses_team_drivers():
    club = f.club()
    ev = team_event(club)
    gt3 = ev.classes.get()
    a, b, c = f.member(club, 11), f.member(club, 12), f.member(club, 13)
    ids = [signup_save(actor=f.actor(m), event_id=ev.id, class_id=gt3.id, now=NOW).signup.id for m in (a, b, c)]
    admin = f.admin_actor(club)
    team = teams_save(actor=admin, event_id=ev.id, teams=[TeamInput("Red", gt3.id, ids[:2])], now=NOW)[0]
    start = ev.race_at
    with pytest.raises(EventError, match="must be in the team"):
        stint_plan_set(actor=admin, team_id=team.id, stints=[(c.id, start)], now=NOW)
    with pytest.raises(EventError, match="each starts after"):
        stint_plan_set(actor=admin, team_id=team.id, stints=[(a.id, start + H), (b.id, start)], now=NOW)
    stint_plan_set(
        actor=admin, team_id=team.id, stints=[(a.id, start), (b.id, start + H), (a.id, start + 2 * H)], now=NOW
    )
    assert list(Stint.objects.values_list("order", "driver_id")) == [(1, a.id), (2, b.id), (3, a.id)]
