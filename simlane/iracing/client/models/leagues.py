"""Models of the league endpoints."""

from __future__ import annotations

from pydantic import Field

from .base import Helmet, IRModel, Timestamp, TrackRef


class RosterMember(IRModel):
    cust_id: int
    display_name: str = ""
    helmet: Helmet | None = None
    owner: bool = False
    admin: bool = False
    league_member_since: Timestamp | None = None
    # iRacing car numbers are strings: "07" and "7" are different numbers.
    car_number: str | None = None
    nick_name: str | None = None


class LeagueRoster(IRModel):
    """``league/roster`` after following ``data_url``."""

    private_roster: bool | None = None
    roster: list[RosterMember] = Field(default_factory=list)


class League(IRModel):
    """``league/get``."""

    league_id: int
    league_name: str = ""
    owner_id: int | None = None
    roster_count: int | None = None
    is_admin: bool | None = None
    is_member: bool | None = None
    roster: list[RosterMember] = Field(default_factory=list)


class LeagueSeason(IRModel):
    league_id: int | None = None
    season_id: int
    season_name: str = ""
    active: bool | None = None
    hidden: bool | None = None
    points_system_id: int | None = None
    points_system_name: str | None = None


class LeagueSeasons(IRModel):
    """``league/seasons``."""

    league_id: int
    retired: bool | None = None
    seasons: list[LeagueSeason] = Field(default_factory=list)


class LeagueSessionCar(IRModel):
    car_id: int
    car_name: str | None = None
    car_class_id: int | None = None
    car_class_name: str | None = None


class LeagueSession(IRModel):
    launch_at: Timestamp | None = None
    has_results: bool = False
    status: int | None = None
    subsession_id: int | None = None
    session_id: int | None = None
    private_session_id: int | None = None
    winner_id: int | None = None
    winner_name: str | None = None
    track: TrackRef | None = None
    cars: list[LeagueSessionCar] = Field(default_factory=list)
    race_laps: int | None = None
    race_length: int | None = None


class LeagueSeasonSessions(IRModel):
    """``league/season_sessions``."""

    league_id: int
    season_id: int
    sessions: list[LeagueSession] = Field(default_factory=list)


class StandingDriver(IRModel):
    cust_id: int
    display_name: str = ""


class DriverStanding(IRModel):
    rownum: int | None = None
    position: int | None = None  # 1-based here
    driver: StandingDriver | None = None
    car_number: str | None = None
    wins: int | None = None
    total_points: int | None = None


class Standings(IRModel):
    driver_standings: list[DriverStanding] = Field(default_factory=list)
    team_standings: list[dict[str, object]] = Field(default_factory=list)
    driver_standings_csv_url: str | None = None


class LeagueSeasonStandings(IRModel):
    """``league/season_standings``."""

    league_id: int
    season_id: int
    car_class_id: int | None = None
    car_id: int | None = None
    standings: Standings = Field(default_factory=Standings)
