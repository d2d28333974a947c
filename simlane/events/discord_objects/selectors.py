"""What the event reconciler needs to know about one event, read in one go as plain data (no lazy ORM access on
the bot's event loop)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from simlane.clubs.discord_settings import DEFAULT_PATTERN
from simlane.clubs.models import ArchiveMode, ClubDiscordSettings
from simlane.core.shards import Shards, of_shards
from simlane.discord_bot.models import GuildSettings
from simlane.iracing.models import Series

from ..discord_plan import EventFacts, Timing
from ..models import (
    DiscordObjectStatus,
    Event,
    EventCategory,
    EventDiscordChannel,
    EventDiscordProgress,
    EventKind,
    EventSource,
    EventStatus,
    SignupStatus,
    TeamDiscord,
)

ARCHIVE_LABEL = "Event archive"


@dataclass
class TeamSnapshot:
    team_id: int
    name: str
    member_ids: list[int]
    thread_id: int | None = None
    thread_member_ids: list[int] = field(default_factory=list)
    role_id: int | None = None
    role_member_ids: list[int] = field(default_factory=list)
    practice_voice_id: int | None = None
    race_voice_id: int | None = None


@dataclass
class EventSnapshot:
    event_id: int
    club_id: int
    guild_id: int
    title: str
    status: str
    facts: EventFacts
    timing: Timing
    series_label: str
    channel_name: str
    archive_delete: bool
    admin_role_id: int | None
    category_id: int | None
    text_channel_id: int | None
    signup_message_id: int | None
    signup_channel_id: int | None
    scheduled_event_id: int | None
    discord_status: str
    started_at: datetime | None
    ended_at: datetime | None
    archived_at: datetime | None
    teams: list[TeamSnapshot]
    categories: dict[int, int]  # index → Discord id, for the series label
    archive_categories: dict[int, int]


def series_label(event: Event) -> str:
    """The category an event's channel goes in: its iRacing series, else league or club events."""
    if event.source == EventSource.OFFICIAL and event.series_id is not None:
        series = Series.objects.filter(series_id=event.series_id).first()
        if series is not None:
            return series.name
    return "League events" if event.source == EventSource.LEAGUE else "Club events"


def _pattern_values(event: Event, series: str) -> dict[str, str]:
    first = event.classes.order_by("id").first()
    return {
        "series": series,
        "track": event.track_name,
        "date": f"{event.race_at:%Y-%m-%d}",
        "event": event.title,
        "class": first.name if first is not None else "",
    }


def event_discord_snapshot(*, event_id: int) -> EventSnapshot | None:
    """Everything about one event's Discord side, or None when the event is gone."""
    from ..discord_plan import event_channel_name

    event = Event.objects.select_related("club").filter(id=event_id).first()
    if event is None:
        return None
    settings = ClubDiscordSettings.objects.filter(club=event.club).first() or ClubDiscordSettings(club=event.club)
    guild = GuildSettings.objects.filter(guild_id=event.club.guild_id).first()
    discord, _ = EventDiscordChannel.objects.get_or_create(event=event)
    progress, _ = EventDiscordProgress.objects.get_or_create(event=event)
    label = series_label(event)
    teams: list[TeamSnapshot] = []
    for team in event.teams.prefetch_related("members__signup__member").order_by("id"):
        members = [
            m.signup.member.discord_user_id for m in team.members.all() if m.signup.status == SignupStatus.CONFIRMED
        ]
        row = TeamDiscord.objects.filter(team=team).first() or TeamDiscord(team=team)
        teams.append(
            TeamSnapshot(
                team_id=team.id,
                name=team.name,
                member_ids=members,
                thread_id=row.thread_id,
                thread_member_ids=list(row.thread_member_ids),
                role_id=row.role_id,
                role_member_ids=list(row.role_member_ids),
                practice_voice_id=row.practice_voice_id,
                race_voice_id=row.race_voice_id,
            )
        )
    categories = EventCategory.objects.filter(club=event.club)
    return EventSnapshot(
        event_id=event.id,
        club_id=event.club_id,
        guild_id=event.club.guild_id,
        title=event.title,
        status=event.status,
        facts=EventFacts(
            race_at=event.race_at,
            duration=timedelta(minutes=event.duration_minutes),
            team=event.kind == EventKind.TEAM,
            teams_final=event.status in (EventStatus.TEAMS_FINAL, EventStatus.FINISHED),
            cancelled=event.status == EventStatus.CANCELLED,
            channels_enabled=settings.auto_create_channels,
            team_roles=settings.team_roles,
        ),
        timing=Timing(
            race_voice_before=timedelta(hours=settings.race_voice_hours),
            archive_after=timedelta(hours=settings.archive_delay_hours),
        ),
        series_label=label,
        channel_name=event_channel_name(
            settings.channel_name_pattern or DEFAULT_PATTERN, _pattern_values(event, label)
        ),
        archive_delete=settings.archive_mode == ArchiveMode.DELETE,
        admin_role_id=guild.admin_role_id if guild is not None else None,
        category_id=discord.category_id,
        text_channel_id=discord.text_channel_id,
        signup_message_id=discord.signup_message_id,
        signup_channel_id=discord.signup_channel_id,
        scheduled_event_id=discord.scheduled_event_id,
        discord_status=discord.status,
        started_at=progress.started_at,
        ended_at=progress.ended_at,
        archived_at=progress.archived_at,
        teams=teams,
        categories={c.index: c.discord_id for c in categories if c.label == label and not c.archive},
        archive_categories={c.index: c.discord_id for c in categories if c.label == ARCHIVE_LABEL and c.archive},
    )


def events_due(*, now: datetime, limit: int = 50, shards: Shards | None = None) -> list[int]:
    """Events whose next time-driven Discord step has come (the bot's tick asks for a sync of each), of the servers
    of these shards: a sharded bot process cannot reach the others, and their backlog must not crowd out its own."""
    rows = EventDiscordProgress.objects.filter(
        next_due_at__lte=now, archived_at__isnull=True, event__club__active=True
    ).exclude(event__discord__status=DiscordObjectStatus.BLOCKED)
    rows = of_shards(rows, shards, guild_field="event__club__guild_id")
    return list(rows.order_by("next_due_at").values_list("event_id", flat=True)[:limit])


def events_blocked(*, guild_id: int, limit: int = 50) -> list[int]:
    """The server's events whose Discord side waits for an admin's fix (tried again when the bot's roles change)."""
    rows = (
        EventDiscordChannel.objects.filter(event__club__guild_id=guild_id, status=DiscordObjectStatus.BLOCKED)
        .order_by("event__race_at")
        .values_list("event_id", flat=True)[:limit]
    )
    return list(rows)
