"""A linked club with one person of each kind, for the club pages' tests (the stand-in's world plus our rows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from simlane.clubs.matching import Candidate, Outcome
from simlane.clubs.models import Club, ClubMember, ClubRole
from simlane.clubs.proposals import proposals_store
from simlane.discord_bot.models import GuildSettings
from simlane.discord_oauth_standin import DEMO_GUILD_ID, DEMO_MEMBER_ID, MemoryWorld
from simlane.discord_oauth_standin.world import DEMO_OTHER_GUILD_ID, MANAGE_GUILD, MEMBER_PERMISSIONS
from simlane.iracing.models import RaceWeek, Season, Series, WeatherForecast

MANAGER_ID = 310000000000000010  # Manage Server, not the owner
DELEGATED_ID = 310000000000000011  # holds the SimLane admin role, no Manage Server
OUTSIDER_ID = 310000000000000012  # a member of another club only
OTHER_MEMBER_ID = 310000000000000013  # a plain member with a proposal of their own
TWIN_A_ID, TWIN_B_ID = 310000000000000014, 310000000000000015  # two members, one iRacing account
MIKA_ID = 310000000000000016  # a nickname two iRacing drivers share
GONE_ID = 310000000000000017  # left the server after the sync proposed an account
ADMIN_ROLE_ID = 330000000000000001
SERIES_ID = 4242


@dataclass(frozen=True)
class ClubSetup:
    club: Club
    other: Club


def populate(world: MemoryWorld) -> ClubSetup:
    world.add_user(MANAGER_ID, "manager", "Club Manager")
    world.add_user(DELEGATED_ID, "delegated", "Delegated Admin")
    world.add_user(OUTSIDER_ID, "outsider", "Outsider")
    world.add_member(DEMO_GUILD_ID, MANAGER_ID, MANAGE_GUILD | MEMBER_PERMISSIONS)
    world.add_member(DEMO_GUILD_ID, DELEGATED_ID, MEMBER_PERMISSIONS)
    world.add_member(DEMO_OTHER_GUILD_ID, OUTSIDER_ID, MEMBER_PERMISSIONS)
    club = Club.objects.create(guild_id=DEMO_GUILD_ID, name="SimLane Demo Club")
    other = Club.objects.create(guild_id=DEMO_OTHER_GUILD_ID, name="Another League")
    # What the member sync records: who is in which club, with their Discord roles.
    ClubMember.objects.create(club=club, discord_user_id=DEMO_MEMBER_ID, role_ids=[1])
    ClubMember.objects.create(club=club, discord_user_id=MANAGER_ID, role=ClubRole.ADMIN)
    ClubMember.objects.create(club=club, discord_user_id=DELEGATED_ID, role=ClubRole.ADMIN, role_ids=[ADMIN_ROLE_ID])
    ClubMember.objects.create(club=other, discord_user_id=OUTSIDER_ID)
    GuildSettings.objects.create(guild_id=DEMO_GUILD_ID, admin_role_id=ADMIN_ROLE_ID, followed_series=[SERIES_ID])
    _forecast()
    return ClubSetup(club, other)


def _forecast() -> None:
    series = Series.objects.create(series_id=SERIES_ID, name="GT Sprint", content_hash="x")
    Series.objects.create(series_id=SERIES_ID + 1, name="Formula Vee", content_hash="y")
    season = Season.objects.create(
        season_id=9001, iracing_series_id=SERIES_ID, series=series, name="GT Sprint 2026 S1", content_hash="x"
    )
    week = RaceWeek.objects.create(
        key="9001:0",
        season=season,
        race_week_num=0,
        week_end_time=timezone.now() + timedelta(days=3),
        track_name="Spa-Francorchamps",
        content_hash="x",
    )
    points = [{"time_offset": t * 60, "air_temp": 1800 + t * 20, "precip_chance": t * 500} for t in range(6)]
    WeatherForecast.objects.create(race_week=week, url="http://x/forecast", fetched_at=timezone.now(), points=points)


def _candidate(cust_id: int, name: str, source: str = "roster") -> Candidate:
    return Candidate(cust_id=cust_id, display_name=name, source=source)


def populate_members(setup: ClubSetup) -> None:
    """What a member sync and the matcher leave behind: two proposals (the demo member's and another member's) and
    one conflict of each kind, stored through the matcher's own service."""
    club = setup.club
    ClubMember.objects.filter(club=club, discord_user_id=DEMO_MEMBER_ID).update(
        display_name="Ana Chen", nick="[APX] Ana Chen #23", username="ana"
    )
    people = [
        (OTHER_MEMBER_ID, "Ömer Smith 🏁", (_candidate(100094, "Ömer Smith", "lookup"),)),
        (TWIN_A_ID, "Kenji Chen", (_candidate(100108, "Kenji Chen"),)),
        (TWIN_B_ID, "KENJI CHEN", (_candidate(100108, "Kenji Chen"),)),
        (MIKA_ID, "Mika Lefèvre", (_candidate(104077, "Mika Lefèvre"), _candidate(104078, "Mika Lefevre", "lookup"))),
        (GONE_ID, "Dmitri Costa", (_candidate(100087, "Dmitri Costa"),)),
    ]
    rows = {DEMO_MEMBER_ID: ClubMember.objects.get(club=club, discord_user_id=DEMO_MEMBER_ID)}
    for user_id, nick, _ in people:
        rows[user_id] = ClubMember.objects.create(
            club=club, discord_user_id=user_id, display_name=nick, nick=nick, username=f"u{user_id % 100}"
        )
    outcomes = {rows[DEMO_MEMBER_ID].pk: ("[APX] Ana Chen #23", Outcome((_candidate(100080, "Ana Chen"),)))}
    outcomes |= {rows[user_id].pk: (nick, Outcome(candidates)) for user_id, nick, candidates in people}
    proposals_store(club=club, outcomes=outcomes)
    ClubMember.objects.filter(pk=rows[GONE_ID].pk).update(active=False, left_at=timezone.now())
