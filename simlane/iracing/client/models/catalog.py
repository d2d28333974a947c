"""Models of the reference data, seasons, schedules, race guide, constants and weather forecasts."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from pydantic import Field

from .base import IRModel, Timestamp, TrackRef


class Car(IRModel):
    """An item of ``car/get``."""

    car_id: int
    car_name: str
    car_name_abbreviated: str | None = None
    car_dirpath: str | None = None
    categories: list[str] = Field(default_factory=list)
    hp: int | None = None
    retired: bool = False


class CarInClass(IRModel):
    car_id: int
    car_dirpath: str | None = None
    retired: bool | None = None


class CarClass(IRModel):
    """An item of ``carclass/get``."""

    car_class_id: int
    name: str
    short_name: str | None = None
    relative_speed: int | None = None
    cars_in_class: list[CarInClass] = Field(default_factory=list)


class Track(IRModel):
    """An item of ``track/get``: one configuration of a track."""

    track_id: int
    track_name: str
    config_name: str | None = None
    category: str | None = None
    category_id: int | None = None
    track_config_length: float | None = None
    time_zone: str | None = None
    retired: bool = False


class Series(IRModel):
    """An item of ``series/get``."""

    series_id: int
    series_name: str
    series_short_name: str | None = None
    category: str | None = None
    category_id: int | None = None
    allowed_licenses: list[dict[str, Any]] = Field(default_factory=list)
    min_starters: int | None = None
    max_starters: int | None = None


class RaceTimeDescriptor(IRModel):
    """When sessions of a race week start; times are UTC (``first_session_time`` "00:45:00")."""

    repeating: bool = False
    first_session_time: time | None = None
    repeat_minutes: int | None = None
    session_minutes: int | None = None
    day_offset: list[int] = Field(default_factory=list)
    start_date: date | None = None
    session_times: list[Timestamp] = Field(default_factory=list)  # non-repeating schedules list them
    super_session: bool = False


class CarRestriction(IRModel):
    car_id: int
    max_dry_tire_sets: int | None = None
    max_pct_fuel_fill: float | None = None
    power_adjust_pct: float | None = None
    weight_penalty_kg: float | None = None


class WeatherSummary(IRModel):
    temp_high: float | None = None
    temp_low: float | None = None
    temp_units: int | None = None  # 0 = °F, 1 = °C
    precip_chance: float | None = None
    wind_high: float | None = None
    wind_low: float | None = None
    wind_units: int | None = None


class ScheduleWeather(IRModel):
    temp_units: int | None = None  # 0 = °F, 1 = °C
    temp_value: float | None = None
    wind_units: int | None = None
    wind_value: float | None = None
    weather_summary: WeatherSummary | None = None
    weather_url: str | None = None


class RaceWeek(IRModel):
    """A race week of ``series/season_schedule`` (``race_week_num`` is 0-based)."""

    season_id: int | None = None
    race_week_num: int
    start_date: date | None = None
    week_end_time: Timestamp | None = None
    schedule_name: str | None = None
    track: TrackRef | None = None
    race_time_descriptors: list[RaceTimeDescriptor] = Field(default_factory=list)
    race_lap_limit: int | None = None
    race_time_limit: int | None = None
    car_restrictions: list[CarRestriction] = Field(default_factory=list)
    weather: ScheduleWeather | None = None


class SeasonSchedule(IRModel):
    """``series/season_schedule``."""

    season_id: int
    success: bool | None = None
    schedules: list[RaceWeek] = Field(default_factory=list)


class Season(IRModel):
    """An item of ``series/seasons`` (or a season inside other season listings)."""

    season_id: int
    series_id: int | None = None
    season_name: str | None = None
    season_short_name: str | None = None
    season_year: int | None = None
    season_quarter: int | None = None
    active: bool | None = None
    official: bool | None = None
    car_class_ids: list[int] = Field(default_factory=list)
    schedules: list[RaceWeek] = Field(default_factory=list)


class PastSeasonsSeries(IRModel):
    series_id: int
    series_name: str | None = None
    seasons: list[Season] = Field(default_factory=list)


class PastSeasons(IRModel):
    """``series/past_seasons``."""

    series_id: int
    series: PastSeasonsSeries | None = None


class SeasonList(IRModel):
    """``season/list``."""

    season_year: int
    season_quarter: int
    seasons: list[Season] = Field(default_factory=list)


class RaceGuideSession(IRModel):
    season_id: int
    series_id: int
    race_week_num: int | None = None
    start_time: Timestamp
    end_time: Timestamp | None = None
    session_id: int | None = None
    entry_count: int | None = None
    super_session: bool = False


class RaceGuide(IRModel):
    """``season/race_guide``."""

    block_begin_time: Timestamp | None = None
    block_end_time: Timestamp | None = None
    sessions: list[RaceGuideSession] = Field(default_factory=list)


class SpectatorSubsessionIds(IRModel):
    """``season/spectator_subsessionids``."""

    event_types: list[int] = Field(default_factory=list)
    subsession_ids: list[int] = Field(default_factory=list)


class Constant(IRModel):
    """An item of ``constants/categories|divisions|event_types``."""

    label: str
    value: int


class ForecastPoint(IRModel):
    """A key frame of a weather forecast (the schedule's ``weather_url``). Values are scaled integers."""

    time_offset: int | None = None  # minutes relative to race start
    timestamp: str | None = None  # track-local time, no zone
    is_sun_up: bool | None = None
    affects_session: bool | None = None
    air_temp: int | None = None  # 1/100 °C
    pressure: int | None = None  # 1/10 hPa
    rel_humidity: int | None = None  # 1/100 %
    cloud_cover: int | None = None  # 1/10 %
    precip_chance: int | None = None  # 1/100 %
    precip_amount: int | None = None  # 1/10 mm/h
    wind_dir: int | None = None  # degrees
    wind_speed: int | None = None  # 1/100 m/s

    @property
    def air_temp_c(self) -> float | None:
        return None if self.air_temp is None else self.air_temp / 100

    @property
    def precip_chance_pct(self) -> float | None:
        return None if self.precip_chance is None else self.precip_chance / 100

    @property
    def wind_speed_ms(self) -> float | None:
        return None if self.wind_speed is None else self.wind_speed / 100

    @property
    def pressure_hpa(self) -> float | None:
        return None if self.pressure is None else self.pressure / 10

    @property
    def precip_mm_per_hour(self) -> float | None:
        return None if self.precip_amount is None else self.precip_amount / 10
