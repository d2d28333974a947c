"""The demo event's steps on the database side, through the events services with each person's own rights: the
admin creates the event and forms the teams, members sign up and withdraw themselves. Sync (``aio`` awaits it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from simlane.clubs.models import Club, ClubDiscordSettings, ClubMember, ClubRole
from simlane.events.models import (
    Event,
    EventDiscordChannel,
    EventKind,
    EventNotice,
    EventSource,
    NoticeStatus,
    Signup,
    SignupStatus,
    Team,
    TeamDiscord,
)
from simlane.events.permissions import EventActor
from simlane.events.services.events import ClassSpec, EventSpec, event_create
from simlane.events.services.signups import signup_save, signup_withdraw_mine
from simlane.events.services.teams import TeamInput, stint_plan_set, teams_finalise, teams_save


def _actor(club: Club, discord_user_id: int, *, admin: bool = False) -> EventActor:
    member = ClubMember.objects.get(club=club, discord_user_id=discord_user_id)
    role = ClubRole.ADMIN if admin else ClubRole(member.role)
    return EventActor(club_id=club.id, discord_user_id=discord_user_id, role=role, member_id=member.id)


def event_create_demo(
    *, guild_id: int, admin_id: int, title: str, series_id: int, race_at: datetime, minutes: int, now: datetime
) -> int:
    """A team event on an official race, 3 places, signups closing 10 minutes before; archived an hour after."""
    club = Club.objects.get(guild_id=guild_id)
    # The demo's clock runs an hour a minute: tidying up an hour after the race shows the archive within minutes.
    ClubDiscordSettings.objects.update_or_create(club=club, defaults={"archive_delay_hours": 1})
    spec = EventSpec(
        title=title,
        race_at=race_at,
        kind=EventKind.TEAM,
        source=EventSource.OFFICIAL,
        series_id=series_id,
        duration_minutes=minutes,
        team_min_drivers=1,
        team_max_drivers=2,
        classes=[ClassSpec(name="Pro", capacity=3)],
        closes_at=race_at - timedelta(minutes=10),
    )
    return event_create(actor=_actor(club, admin_id, admin=True), club=club, spec=spec, now=now).id


def card_of(*, event_id: int) -> tuple[int, int, int] | None:
    """(channel id, message id, class id) of the event's signup card, once posted."""
    record = EventDiscordChannel.objects.filter(event_id=event_id).first()
    if record is None or record.signup_channel_id is None or record.signup_message_id is None:
        return None
    return record.signup_channel_id, record.signup_message_id, Event.objects.get(id=event_id).classes.get().id


def sign_up(*, guild_id: int, discord_user_id: int, event_id: int, now: datetime) -> str:
    club = Club.objects.get(guild_id=guild_id)
    event_class = Event.objects.get(id=event_id).classes.get()
    outcome = signup_save(
        actor=_actor(club, discord_user_id), event_id=event_id, class_id=event_class.id, now=now, preferred_number=""
    )
    return str(outcome.signup.status)


def withdraw(*, guild_id: int, discord_user_id: int, event_id: int, now: datetime) -> list[int]:
    """Withdraw the member; the Discord ids of whoever the freed place promoted."""
    club = Club.objects.get(guild_id=guild_id)
    promoted = signup_withdraw_mine(actor=_actor(club, discord_user_id), event_id=event_id, now=now)
    return [s.member.discord_user_id for s in promoted]


def teams_form(
    *, guild_id: int, admin_id: int, event_id: int, teams: list[tuple[str, list[int]]], now: datetime
) -> list[str]:
    """Save the admin's teams (by Discord ids), finalise them and plan the first team's two stints."""
    club = Club.objects.get(guild_id=guild_id)
    admin = _actor(club, admin_id, admin=True)
    event = Event.objects.get(id=event_id)
    signups = {s.member.discord_user_id: s for s in Signup.objects.filter(event=event, status=SignupStatus.CONFIRMED)}
    class_id = event.classes.get().id
    saved = teams_save(
        actor=admin,
        event_id=event_id,
        teams=[TeamInput(name, class_id, [signups[u].id for u in users]) for name, users in teams],
        now=now,
    )
    teams_finalise(actor=admin, event_id=event_id, now=now)
    first, drivers = saved[0], [signups[u].member_id for u in teams[0][1]]
    half = event.race_at + timedelta(minutes=event.duration_minutes // 2)
    stint_plan_set(actor=admin, team_id=first.id, stints=[(drivers[0], event.race_at), (drivers[-1], half)], now=now)
    return [f"{t.name} #{t.car_number}" if t.car_number else t.name for t in Team.objects.filter(event=event)]


@dataclass(frozen=True)
class EventFacts:
    """What the demo prints about the event's Discord side, as SimLane recorded it."""

    status: str
    discord_status: str
    discord_detail: str
    text_channel_id: int | None
    scheduled_event_id: int | None
    threads: tuple[int, ...]
    race_voices: tuple[int, ...]
    notices_sent: tuple[str, ...]
    results_posted: bool


def event_facts(*, event_id: int) -> EventFacts:
    event = Event.objects.get(id=event_id)
    discord = EventDiscordChannel.objects.filter(event=event).first()
    teams = TeamDiscord.objects.filter(team__event=event).order_by("team_id")
    sent = EventNotice.objects.filter(event=event, status=NoticeStatus.SENT).order_by("id")
    return EventFacts(
        status=event.status,
        discord_status=discord.status if discord else "",
        discord_detail=discord.status_detail if discord else "",
        text_channel_id=discord.text_channel_id if discord else None,
        scheduled_event_id=discord.scheduled_event_id if discord else None,
        threads=tuple(t.thread_id for t in teams if t.thread_id),
        race_voices=tuple(t.race_voice_id for t in teams if t.race_voice_id),
        notices_sent=tuple(f"{n.kind}:{n.key}" for n in sent),
        results_posted=event.results_posted_at is not None,
    )
