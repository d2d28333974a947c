"""Teams of a team event: a draft balanced by iRating and availability, the admin's edits, finalising (car numbers
from the pools, status ``teams_final``) and endurance stint plans.

The draft is a proposal only (nothing is saved until the admin saves it): drivers are dealt in a snake order by
iRating, then pairs are swapped between teams of a class while that lowers the spread of team averages or raises
the hours of the race every team has a driver for. Ratings come from the member's car-number link (verified first,
else pending) and the newest iRating SimLane saw for that account; unknown ratings count as the class's median.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction

from simlane.identity.models import VerifiedIRacingAccount
from simlane.identity.selectors import latest_irating
from simlane.racenumbers.models import MemberLink

from ..models import Event, EventKind, EventStatus, Signup, SignupStatus, Stint, Team, TeamMember
from ..permissions import EventActor, require_manage
from ..selectors import member_name
from . import EventError, locked_event
from .discord import request_event_sync
from .numbers import team_numbers

MAX_SWAP_ROUNDS = 50


@dataclass
class DraftDriver:
    signup_id: int
    name: str
    irating: int | None
    windows: list[tuple[datetime, datetime]]


@dataclass
class DraftTeam:
    name: str
    class_id: int
    drivers: list[DraftDriver] = field(default_factory=list)

    def average(self, fallback: int) -> float:
        values = [d.irating if d.irating is not None else fallback for d in self.drivers]
        return sum(values) / len(values) if values else 0.0


def ratings(*, guild_id: int, discord_user_ids: list[int]) -> dict[int, int]:
    """The best-known iRating of each member: the account of their verified link, else of their pending link."""
    links = MemberLink.objects.filter(guild_id=guild_id, discord_user_id__in=discord_user_ids).order_by("-verified")
    out: dict[int, int] = {}
    for link in links:
        if link.discord_user_id in out:
            continue
        value = latest_irating(cust_id=link.cust_id)
        if value is None:
            account = VerifiedIRacingAccount.objects.filter(cust_id=link.cust_id).first()
            value = account.irating if account is not None else None
        if value is not None:
            out[link.discord_user_id] = value
    return out


def _windows(signup: Signup) -> list[tuple[datetime, datetime]]:
    return [(datetime.fromisoformat(a), datetime.fromisoformat(b)) for a, b in signup.availability]


def coverage_minutes(team: DraftTeam, start: datetime, end: datetime) -> int:
    """Minutes of the race at least one of the team's drivers said they can drive (no windows: the whole race)."""
    spans: list[tuple[datetime, datetime]] = []
    for driver in team.drivers:
        spans.extend(driver.windows or [(start, end)])
    covered, cursor = 0.0, start
    for a, b in sorted(spans):
        a, b = max(a, cursor), min(b, end)
        if b > a:
            covered += (b - a).total_seconds() / 60
            cursor = b
    return int(covered)


def _cost(teams: list[DraftTeam], fallback: int, start: datetime, end: datetime) -> tuple[int, float]:
    uncovered = sum(int((end - start).total_seconds() // 60) - coverage_minutes(t, start, end) for t in teams)
    averages = [t.average(fallback) for t in teams]
    return uncovered, (max(averages) - min(averages)) if averages else 0.0


def team_draft(event: Event) -> list[DraftTeam]:
    """A proposal of teams per class from the confirmed roster (waitlisted drivers are never drafted)."""
    if event.kind != EventKind.TEAM:
        raise EventError("This is a solo event: it has no teams.")
    size = event.team_max_drivers or 1
    signups = list(
        Signup.objects.filter(event=event, status=SignupStatus.CONFIRMED)
        .select_related("member", "event_class")
        .order_by("created_at", "id")
    )
    known = ratings(guild_id=event.club.guild_id, discord_user_ids=[s.member.discord_user_id for s in signups])
    start, end = event.race_at, event.race_at + timedelta(minutes=event.duration_minutes)
    drafts: list[DraftTeam] = []
    by_class: dict[int, list[Signup]] = {}
    for signup in signups:
        by_class.setdefault(signup.event_class_id, []).append(signup)
    number = 0
    for class_id, rows in by_class.items():
        drivers = [
            DraftDriver(
                signup_id=s.id,
                name=member_name(s.member),
                irating=known.get(s.member.discord_user_id),
                windows=_windows(s),
            )
            for s in rows
        ]
        rated = [d.irating for d in drivers if d.irating is not None]
        fallback = int(statistics.median(rated)) if rated else 0
        drivers.sort(key=lambda d: (-(d.irating if d.irating is not None else fallback), d.signup_id))
        count = max(1, math.ceil(len(drivers) / size))
        teams = [DraftTeam(name=f"Team {number + i + 1}", class_id=class_id) for i in range(count)]
        number += count
        for i, driver in enumerate(drivers):  # snake: 1,2,3,3,2,1,…
            lap, pos = divmod(i, count)
            teams[pos if lap % 2 == 0 else count - 1 - pos].drivers.append(driver)
        _improve(teams, fallback, start, end)
        drafts.extend(teams)
    return drafts


def _improve(teams: list[DraftTeam], fallback: int, start: datetime, end: datetime) -> None:
    """Swap pairs of drivers between teams while that strictly lowers (uncovered minutes, rating spread)."""
    best = _cost(teams, fallback, start, end)
    for _ in range(MAX_SWAP_ROUNDS):
        improved = False
        for a in range(len(teams)):
            for b in range(a + 1, len(teams)):
                for i in range(len(teams[a].drivers)):
                    for j in range(len(teams[b].drivers)):
                        ta, tb = teams[a].drivers, teams[b].drivers
                        ta[i], tb[j] = tb[j], ta[i]
                        cost = _cost(teams, fallback, start, end)
                        if cost < best:
                            best, improved = cost, True
                        else:
                            ta[i], tb[j] = tb[j], ta[i]
        if not improved:
            return


@dataclass(frozen=True)
class TeamInput:
    """A team as the admin saved it."""

    name: str
    class_id: int
    signup_ids: list[int]


def teams_save(*, actor: EventActor, event_id: int, teams: list[TeamInput], now: datetime) -> list[Team]:
    """Replace the event's teams with the admin's (the draft as edited); teams stay editable until finalised."""
    with transaction.atomic():
        event = locked_event(event_id)
        require_manage(actor, event.club_id)
        if event.kind != EventKind.TEAM:
            raise EventError("This is a solo event: it has no teams.")
        if event.status != EventStatus.OPEN:
            raise EventError("Teams can only be changed while the event is open (not once teams are final).")
        confirmed = {s.id: s for s in Signup.objects.filter(event=event, status=SignupStatus.CONFIRMED)}
        seen: set[int] = set()
        names: set[str] = set()
        for team in teams:
            name = team.name.strip()
            if not name or len(name) > 100 or name.casefold() in names:
                raise EventError("Every team needs its own name of at most 100 characters.")
            names.add(name.casefold())
            for signup_id in team.signup_ids:
                signup = confirmed.get(signup_id)
                if signup is None:
                    raise EventError("Only confirmed drivers of this event can be in a team.")
                if signup_id in seen:
                    raise EventError("A driver can be in only one team.")
                if signup.event_class_id != team.class_id:
                    raise EventError(f"{name}: every driver of a team races in the team's class.")
                seen.add(signup_id)
            if len(team.signup_ids) > (event.team_max_drivers or 1):
                raise EventError(f"{name} has more than {event.team_max_drivers} drivers.")
        Team.objects.filter(event=event).delete()
        saved = []
        for team in teams:
            row = Team.objects.create(event=event, name=team.name.strip(), event_class_id=team.class_id)
            TeamMember.objects.bulk_create(
                TeamMember(team=row, signup_id=sid, position=i) for i, sid in enumerate(team.signup_ids)
            )
            saved.append(row)
        request_event_sync(event, now)
    return saved


def teams_finalise(*, actor: EventActor, event_id: int, now: datetime) -> list[Team]:
    """Fix the teams: each within the event's driver counts, every confirmed driver in one; numbers from the pools."""
    with transaction.atomic():
        event = locked_event(event_id)
        require_manage(actor, event.club_id)
        if event.status != EventStatus.OPEN or event.kind != EventKind.TEAM:
            raise EventError("Only an open team event can have its teams finalised.")
        teams = list(Team.objects.filter(event=event).select_related("event_class").prefetch_related("members__signup"))
        if not teams:
            raise EventError("Save teams first (the dashboard offers a draft).")
        low = event.team_min_drivers or 1
        for team in teams:
            if not low <= team.members.count() <= (event.team_max_drivers or low):
                raise EventError(f"{team.name} needs between {low} and {event.team_max_drivers} drivers.")
        placed = set(TeamMember.objects.filter(team__event=event).values_list("signup_id", flat=True))
        missing = Signup.objects.filter(event=event, status=SignupStatus.CONFIRMED).exclude(id__in=placed).count()
        if missing:
            raise EventError(f"{missing} confirmed driver(s) are in no team yet.")
        prefs = {t.id: [m.signup.preferred_number for m in t.members.all()] for t in teams}
        numbers = team_numbers(guild_id=event.club.guild_id, teams=teams, preferences=prefs)
        for team in teams:
            team.car_number = numbers[team.id]
            team.save(update_fields=["car_number"])
        event.status = EventStatus.TEAMS_FINAL
        event.save(update_fields=["status", "updated_at"])
        request_event_sync(event, now)
    return teams


def stint_plan_set(
    *, actor: EventActor, team_id: int, stints: list[tuple[int, datetime]], now: datetime
) -> list[Stint]:
    """Replace a team's stint plan: (driver member id, start) in order; drivers from the team, starts ascending
    from the race start and before its end."""
    with transaction.atomic():
        team = Team.objects.select_related("event").filter(id=team_id).first()
        if team is None:
            raise EventError("No such team.")
        event = team.event
        require_manage(actor, event.club_id)
        drivers = set(TeamMember.objects.filter(team=team).values_list("signup__member_id", flat=True))
        end = event.race_at + timedelta(minutes=event.duration_minutes)
        previous: datetime | None = None
        for member_id, starts_at in stints:
            if member_id not in drivers:
                raise EventError("Every stint's driver must be in the team.")
            if not event.race_at <= starts_at < end:
                raise EventError("Stints start between the race start and its end.")
            if previous is not None and starts_at <= previous:
                raise EventError("Stints are in order: each starts after the one before.")
            previous = starts_at
        Stint.objects.filter(team=team).delete()
        rows = Stint.objects.bulk_create(
            Stint(team=team, order=i + 1, driver_id=member_id, starts_at=at) for i, (member_id, at) in enumerate(stints)
        )
        request_event_sync(event, now)
    return rows
