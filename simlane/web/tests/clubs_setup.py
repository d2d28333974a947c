"""A linked club with one person of each kind, for the club pages' tests (the stand-in's world plus our rows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from simlane.clubs.models import Club, ClubMember, ClubRole
from simlane.discord_bot.models import GuildSettings
from simlane.discord_oauth_standin import DEMO_GUILD_ID, DEMO_MEMBER_ID, MemoryWorld
from simlane.discord_oauth_standin.world import DEMO_OTHER_GUILD_ID, MANAGE_GUILD, MEMBER_PERMISSIONS
from simlane.iracing.models import RaceWeek, Season, Series, WeatherForecast

MANAGER_ID = 310000000000000010  # Manage Server, not the owner
DELEGATED_ID = 310000000000000011  # holds the SimLane admin role, no Manage Server
OUTSIDER_ID = 310000000000000012  # a member of another club only
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
