"""Find an event's results and claim its results post.

Official events hook into the results pipeline: the poller stores every subsession its tracked drivers race in
(``iracing.Subsession`` with its participants), so the event's race is the stored race of its series that started at
the event's time with the most of the event's drivers in it (an official race splits; the club's split is the one
with most of its drivers). When none of them is tracked, ``finder`` asks ``results/search_series`` for a few of the
event's drivers, and the race it finds is stored the same way. League events ask ``league/season_sessions``
(``finder``) for the event's league session; custom events (a free time and track) have no session SimLane can
find, so they get no automatic results post.

The post itself is a ledger row like every notice: claimed once, with its embed frozen.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.db.models import Count, Q

from simlane.identity.models import VerifiedIRacingAccount
from simlane.iracing.client.models import SubsessionResult
from simlane.iracing.models import Subsession
from simlane.racenumbers.models import MemberLink
from simlane.results.models import GuildResultsConfig

from ..models import Event, EventNotice, EventSource, EventStatus, NoticeKind, Signup, SignupStatus
from ..results_summary import results_summary_embed
from .planner import event_channel_id

START_TOLERANCE = timedelta(minutes=30)  # an official race's session starts at the listed time; allow late splits
LOOK_FOR = timedelta(days=3)  # after this, an event whose results never appeared is left alone


def events_awaiting_results(*, now: datetime) -> list[Event]:
    """Official and league events whose race is over, with no results post claimed yet."""
    claimed = EventNotice.objects.filter(kind=NoticeKind.RESULTS).values("event_id")
    candidates = (
        Event.objects.filter(
            source__in=(EventSource.OFFICIAL, EventSource.LEAGUE),
            status__in=(EventStatus.OPEN, EventStatus.TEAMS_FINAL, EventStatus.FINISHED, EventStatus.ARCHIVED),
            results_posted_at__isnull=True,
            race_at__lte=now,
            race_at__gt=now - LOOK_FOR,
        )
        .exclude(id__in=claimed)
        .select_related("club")
        .order_by("race_at", "id")
    )
    return [e for e in candidates if e.race_at + timedelta(minutes=e.duration_minutes) <= now]


def club_drivers(event: Event) -> dict[int, str]:
    """iRacing id → name of the club's members: a verified identity, else the account they linked on the server."""
    members = dict(event.club.members.filter(active=True).values_list("discord_user_id", "display_name"))
    out: dict[int, str] = {}
    links = MemberLink.objects.filter(guild_id=event.club.guild_id, discord_user_id__in=members)
    for link in links.order_by("verified"):  # verified last: it wins
        out[link.cust_id] = members[link.discord_user_id]
    for account in VerifiedIRacingAccount.objects.filter(discord_user_id__in=members):
        out[account.cust_id] = members[account.discord_user_id]
    return out


def event_drivers(event: Event) -> set[int]:
    """iRacing ids of the event's confirmed drivers (those the club knows the account of)."""
    members = Signup.objects.filter(event=event, status=SignupStatus.CONFIRMED).values("member__discord_user_id")
    ids = {row["member__discord_user_id"] for row in members}
    linked = MemberLink.objects.filter(guild_id=event.club.guild_id, discord_user_id__in=ids)
    verified = VerifiedIRacingAccount.objects.filter(discord_user_id__in=ids)
    return set(linked.values_list("cust_id", flat=True)) | set(verified.values_list("cust_id", flat=True))


def event_driver_ids(*, event_id: int, limit: int = 3) -> list[int]:
    """A few of the event's confirmed drivers' iRacing ids, to search iRacing for the race with."""
    event = Event.objects.select_related("club").get(id=event_id)
    return sorted(event_drivers(event))[:limit]


def official_subsession(*, event_id: int) -> int | None:
    """The stored race of an official event: its series, its start, the most of its drivers (club's, if none)."""
    event = Event.objects.select_related("club").get(id=event_id)
    if event.series_id is None:
        return None
    drivers = event_drivers(event) or set(club_drivers(event))
    if not drivers:
        return None
    races = Subsession.objects.filter(
        iracing_series_id=event.series_id,
        event_type=5,
        start_time__gte=event.race_at - START_TOLERANCE,
        start_time__lte=event.race_at + START_TOLERANCE,
    ).annotate(
        ours=Count("participants", filter=Q(participants__simsession_number=0, participants__cust_id__in=drivers))
    )
    best = races.filter(ours__gt=0).order_by("-ours", "subsession_id").first()
    return best.subsession_id if best else None


def results_claim(*, event_id: int, result: SubsessionResult) -> bool:
    """Claim the event's results post (embed frozen now); False when already claimed or there is nowhere to post."""
    event = Event.objects.select_related("club", "discord").get(id=event_id)
    channel = event_channel_id(event)
    if channel is None:
        config = GuildResultsConfig.objects.filter(guild_id=event.club.guild_id).first()
        channel = config.channel_id if config is not None else None
    if channel is None:
        return False
    embed = results_summary_embed(result, event_title=event.title, club_drivers=club_drivers(event))
    _, created = EventNotice.objects.get_or_create(
        event=event,
        kind=NoticeKind.RESULTS,
        key="results",
        defaults={"channel_id": channel, "embed": embed, "nonce": secrets.token_hex(12)},
    )
    Event.objects.filter(id=event.id, subsession_id__isnull=True).update(subsession_id=result.subsession_id)
    return created
