"""The Django admin for iRacing data: lists with the filters and searches an operator reaches for."""

from __future__ import annotations

from django.contrib import admin

from simlane.core.adminbase import ModelAdmin

from .models import (
    ApiCall,
    Car,
    CarClass,
    IRacingTokenState,
    Participant,
    RaceWeek,
    Season,
    Series,
    SessionTime,
    Subsession,
    Track,
    WeatherForecast,
)


@admin.register(Car)
class CarAdmin(ModelAdmin):
    list_display = ("car_id", "name", "abbreviation", "hp", "retired", "active", "updated_at")
    list_filter = ("active", "retired")
    search_fields = ("name", "abbreviation", "car_id")


@admin.register(CarClass)
class CarClassAdmin(ModelAdmin):
    list_display = ("car_class_id", "name", "short_name", "relative_speed", "active")
    list_filter = ("active",)
    search_fields = ("name", "short_name", "car_class_id")
    filter_horizontal = ("cars",)


@admin.register(Track)
class TrackAdmin(ModelAdmin):
    list_display = ("track_id", "name", "config_name", "category", "length_miles", "active")
    list_filter = ("active", "category", "retired")
    search_fields = ("name", "config_name", "track_id")


@admin.register(Series)
class SeriesAdmin(ModelAdmin):
    list_display = ("series_id", "name", "category", "active", "updated_at")
    list_filter = ("active", "category")
    search_fields = ("name", "short_name", "series_id")


@admin.register(ApiCall)
class ApiCallAdmin(ModelAdmin):
    list_display = ("at", "endpoint", "status", "cached", "duration_ms")
    list_filter = ("cached", "status", "endpoint")
    search_fields = ("endpoint",)
    date_hierarchy = "at"


@admin.register(IRacingTokenState)
class TokenStateAdmin(ModelAdmin):
    list_display = ("account", "access_expires_at", "lock_owner", "updated_at")
    exclude = ("access_token", "refresh_token")  # secrets never shown, even to staff


@admin.register(Season)
class SeasonAdmin(ModelAdmin):
    list_display = ("season_id", "name", "year", "quarter", "official", "active")
    list_filter = ("active", "official", "year", "quarter")
    search_fields = ("name", "season_id")


@admin.register(RaceWeek)
class RaceWeekAdmin(ModelAdmin):
    list_display = ("season", "race_week_num", "track_name", "config_name", "start_date")
    list_filter = ("season__year", "season__quarter")
    search_fields = ("track_name", "season__name")


@admin.register(SessionTime)
class SessionTimeAdmin(ModelAdmin):
    list_display = ("start_time", "race_week", "session_minutes")
    date_hierarchy = "start_time"
    search_fields = ("race_week__season__name", "race_week__track_name")


@admin.register(WeatherForecast)
class WeatherForecastAdmin(ModelAdmin):
    list_display = ("race_week", "fetched_at", "air_temp_min_c", "air_temp_max_c", "precip_chance_max_pct")
    search_fields = ("race_week__season__name",)


@admin.register(Subsession)
class SubsessionAdmin(ModelAdmin):
    list_display = ("subsession_id", "iracing_series_id", "start_time", "event_type", "official", "strength_of_field")
    list_filter = ("official", "event_type")
    search_fields = ("subsession_id",)


@admin.register(Participant)
class ParticipantAdmin(ModelAdmin):
    list_display = ("display_name", "cust_id", "subsession", "simsession_number", "finish_position", "incidents")
    search_fields = ("display_name", "cust_id")
