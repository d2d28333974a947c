"""Models of the results endpoints: results/get, search_series, search_hosted, lap data, event log, season results.

Positions in ``results/get`` are 0-based (:class:`Position0`); in ``stats/member_recent_races`` they are 1-based
(plain ``int``). Lap times are 1/10000 s (:class:`LapTime`).
"""

from __future__ import annotations

from pydantic import Field

from .base import Helmet, IRModel, LapTime, Position0, SafetyRating100, Timestamp, TrackRef

EVENT_TYPE_RACE = 5
MAIN_EVENT = 0  # simsession_number of the main event; -1 is the preceding session, and so on


class DriverResult(IRModel):
    """One row of ``session_results[].results``: a driver, or a team with ``driver_results`` (team events)."""

    cust_id: int | None = None  # absent on team rows
    team_id: int | None = None  # negative for teams
    display_name: str = ""
    finish_position: Position0 = Position0(-1)
    finish_position_in_class: Position0 = Position0(-1)
    starting_position: Position0 = Position0(-1)
    starting_position_in_class: Position0 = Position0(-1)
    laps_complete: int = 0
    laps_lead: int = 0
    incidents: int = 0
    best_lap_time: LapTime = LapTime(-1)
    best_lap_num: int = -1
    average_lap: LapTime = LapTime(-1)
    interval: LapTime = LapTime(-1)
    class_interval: LapTime = LapTime(-1)
    car_id: int | None = None
    car_name: str | None = None
    car_class_id: int | None = None
    car_class_name: str | None = None
    car_class_short_name: str | None = None
    champ_points: int | None = None
    oldi_rating: int = -1
    newi_rating: int = -1
    old_sub_level: SafetyRating100 = SafetyRating100(-1)
    new_sub_level: SafetyRating100 = SafetyRating100(-1)
    old_license_level: int = -1
    new_license_level: int = -1
    reason_out: str | None = None
    ai: bool = False
    driver_results: list[DriverResult] = Field(default_factory=list)

    @property
    def is_team(self) -> bool:
        return self.cust_id is None and bool(self.driver_results or (self.team_id or 0) < 0)

    @property
    def irating_change(self) -> int | None:
        if self.oldi_rating < 0 or self.newi_rating < 0:
            return None
        return self.newi_rating - self.oldi_rating


class SessionResult(IRModel):
    simsession_number: int
    simsession_type: int | None = None
    simsession_type_name: str | None = None
    simsession_name: str | None = None
    results: list[DriverResult] = Field(default_factory=list)


class CarClassInResult(IRModel):
    car_class_id: int
    name: str | None = None
    short_name: str | None = None
    strength_of_field: int | None = None
    num_entries: int | None = None


class SubsessionResult(IRModel):
    """``results/get``."""

    subsession_id: int
    session_id: int | None = None
    start_time: Timestamp | None = None
    end_time: Timestamp | None = None
    season_id: int | None = None
    season_name: str | None = None
    season_year: int | None = None
    season_quarter: int | None = None
    series_id: int | None = None
    series_name: str | None = None
    series_short_name: str | None = None
    series_logo: str | None = None
    race_week_num: int | None = None
    event_type: int | None = None
    event_type_name: str | None = None
    official_session: bool = False
    event_strength_of_field: int | None = None
    event_best_lap_time: LapTime = LapTime(-1)
    num_drivers: int | None = None
    driver_changes: bool = False
    private_session_id: int | None = None
    league_id: int | None = None
    league_name: str | None = None
    league_season_id: int | None = None
    session_name: str | None = None
    host_id: int | None = None
    track: TrackRef | None = None
    car_classes: list[CarClassInResult] = Field(default_factory=list)
    session_results: list[SessionResult] = Field(default_factory=list)

    def main_event(self) -> SessionResult | None:
        """The main event (``simsession_number == 0``), not a guess by list index (some events have no qualifying)."""
        return next((s for s in self.session_results if s.simsession_number == MAIN_EVENT), None)

    @property
    def is_race(self) -> bool:
        return self.event_type == EVENT_TYPE_RACE


class SearchResultRow(IRModel):
    """A row of ``results/search_series`` / ``results/search_hosted`` (after chunk resolution)."""

    session_id: int | None = None
    subsession_id: int
    start_time: Timestamp | None = None
    end_time: Timestamp | None = None
    num_drivers: int | None = None
    event_type: int | None = None
    event_type_name: str | None = None
    official_session: bool | None = None
    series_id: int | None = None
    series_name: str | None = None
    season_id: int | None = None
    race_week_num: int | None = None
    event_strength_of_field: int | None = None
    winner_group_id: int | None = None
    winner_name: str | None = None
    track: TrackRef | None = None
    league_id: int | None = None
    league_season_id: int | None = None
    session_name: str | None = None
    host: dict[str, object] | None = None
    # Present when the search was narrowed to one cust_id.
    cust_id: int | None = None
    finish_position: int | None = None
    finish_position_in_class: int | None = None
    incidents: int | None = None


class LapRow(IRModel):
    """A lap of ``results/lap_data`` or ``results/lap_chart_data`` (lap 0 is the out/start lap, time -1)."""

    group_id: int | None = None
    cust_id: int | None = None
    display_name: str | None = None
    lap_number: int
    flags: int | None = None
    incident: bool | None = None
    session_time: LapTime | None = None
    lap_time: LapTime = LapTime(-1)
    lap_position: int | None = None
    car_number: str | None = None
    lap_events: list[str] = Field(default_factory=list)


class EventLogRow(IRModel):
    subsession_id: int | None = None
    simsession_number: int | None = None
    session_time: LapTime | None = None
    event_seq: int | None = None
    event_code: int | None = None
    group_id: int | None = None
    cust_id: int | None = None
    display_name: str | None = None
    lap_number: int | None = None
    description: str | None = None
    message: str | None = None


class SeasonResultItem(IRModel):
    session_id: int | None = None
    subsession_id: int
    race_week_num: int | None = None
    start_time: Timestamp | None = None
    event_type: int | None = None
    event_strength_of_field: int | None = None
    num_drivers: int | None = None
    official_session: bool | None = None
    winner_group_id: int | None = None
    winner_name: str | None = None
    track: TrackRef | None = None


class SeasonResults(IRModel):
    """``results/season_results``."""

    success: bool | None = None
    season_id: int
    event_type: int | None = None
    race_week_num: int | None = None
    results_list: list[SeasonResultItem] = Field(default_factory=list)


class RecentRace(IRModel):
    """A race of ``stats/member_recent_races`` — positions here are **1-based**."""

    subsession_id: int
    season_id: int | None = None
    series_id: int | None = None
    series_name: str | None = None
    car_id: int | None = None
    car_class_id: int | None = None
    session_start_time: Timestamp | None = None
    start_position: int | None = None
    finish_position: int | None = None
    laps: int | None = None
    laps_led: int | None = None
    incidents: int | None = None
    strength_of_field: int | None = None
    oldi_rating: int | None = None
    newi_rating: int | None = None
    old_sub_level: SafetyRating100 | None = None
    new_sub_level: SafetyRating100 | None = None
    track: TrackRef | None = None
    winner_group_id: int | None = None
    winner_name: str | None = None
    winner_helmet: Helmet | None = None


class MemberRecentRaces(IRModel):
    """``stats/member_recent_races`` (the last 10 official races, newest first)."""

    cust_id: int
    races: list[RecentRace] = Field(default_factory=list)
