"""Database state of the iRacing integration."""

from __future__ import annotations

from django.db import models

from simlane.core.models import TimeStampedModel


class IRacingTokenState(TimeStampedModel):
    """The OAuth token state of one iRacing account, shared by every process that uses the account.

    Refresh tokens are single-use, so the processes must not refresh independently: ``lock_owner``/``lock_until``
    form a lease that one process takes with a conditional UPDATE (atomic on SQLite and PostgreSQL) while it talks
    to the token endpoint. A crashed holder's lease simply runs out.
    """

    account = models.CharField(max_length=64, unique=True, help_text="sha256 of client id and username")
    access_token = models.TextField(blank=True)
    access_expires_at = models.FloatField(default=0, help_text="epoch seconds")
    refresh_token = models.TextField(blank=True)
    refresh_expires_at = models.FloatField(null=True, blank=True, help_text="epoch seconds")
    lock_owner = models.CharField(max_length=64, blank=True)
    lock_until = models.FloatField(default=0, help_text="epoch seconds when the refresh lease runs out")

    class Meta:
        verbose_name = "iRacing token state"

    def __str__(self) -> str:
        return f"iRacing tokens {self.account[:8]}"


class CatalogRow(TimeStampedModel):
    """A row synced from iRacing: ``active`` goes False when it vanishes upstream (never deleted), ``content_hash``
    lets a re-sync skip rows that did not change, ``raw`` keeps the whole upstream item."""

    active = models.BooleanField(default=True, help_text="still listed by iRacing")
    content_hash = models.CharField(max_length=64, help_text="sha256 of the upstream item")
    raw = models.JSONField(default=dict)

    class Meta:
        abstract = True


class Car(CatalogRow):
    car_id = models.PositiveIntegerField(unique=True)
    name = models.CharField(max_length=200)
    abbreviation = models.CharField(max_length=50, blank=True)
    categories = models.JSONField(default=list)
    hp = models.PositiveIntegerField(null=True, blank=True)
    retired = models.BooleanField(default=False, help_text="iRacing's own retired flag")

    def __str__(self) -> str:
        return self.name


class CarClass(CatalogRow):
    car_class_id = models.PositiveIntegerField(unique=True)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=100, blank=True)
    relative_speed = models.IntegerField(null=True, blank=True)
    car_ids = models.JSONField(default=list, help_text="cars in the class (car_id), as iRacing lists them")
    cars = models.ManyToManyField(Car, blank=True, related_name="classes")

    class Meta:
        verbose_name_plural = "car classes"

    def __str__(self) -> str:
        return self.name


class Track(CatalogRow):
    """One configuration of a track (iRacing's ``track_id`` names a configuration)."""

    track_id = models.PositiveIntegerField(unique=True)
    name = models.CharField(max_length=200)
    config_name = models.CharField(max_length=200, blank=True)
    category = models.CharField(max_length=50, blank=True)
    length_miles = models.FloatField(null=True, blank=True, help_text="track_config_length (miles)")
    time_zone = models.CharField(max_length=64, blank=True)
    retired = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.name} — {self.config_name}" if self.config_name else self.name


class Series(CatalogRow):
    series_id = models.PositiveIntegerField(unique=True)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=100, blank=True)
    category = models.CharField(max_length=50, blank=True)
    allowed_licenses = models.JSONField(default=list)
    min_starters = models.PositiveIntegerField(null=True, blank=True)
    max_starters = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "series"

    def __str__(self) -> str:
        return self.name


class ApiCall(models.Model):
    """The API-call ledger: every reference-data fetch, from iRacing or from the cache."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    endpoint = models.CharField(max_length=100, db_index=True)
    params = models.JSONField(default=dict)
    status = models.PositiveSmallIntegerField(help_text="HTTP status (200 when served from the cache)")
    cached = models.BooleanField(default=False)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("-at",)

    def __str__(self) -> str:
        return f"{self.endpoint} {self.status}{' (cache)' if self.cached else ''}"


class Season(CatalogRow):
    season_id = models.PositiveIntegerField(unique=True)
    iracing_series_id = models.PositiveIntegerField(db_index=True, help_text="kept even if the series is unknown")
    series = models.ForeignKey(Series, null=True, blank=True, on_delete=models.SET_NULL, related_name="seasons")
    name = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    quarter = models.PositiveSmallIntegerField(null=True, blank=True)
    official = models.BooleanField(default=True)
    car_class_ids = models.JSONField(default=list)
    schedule_hash = models.CharField(
        max_length=64, blank=True, help_text="race weeks are rewritten only when it changes"
    )

    def __str__(self) -> str:
        return self.name


class RaceWeek(CatalogRow):
    """One week of a season's schedule: the track, when sessions start, the car restrictions (BOP), the weather."""

    key = models.CharField(max_length=32, unique=True, help_text="season_id:race_week_num")
    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="race_weeks")
    race_week_num = models.PositiveSmallIntegerField(help_text="0-based, as iRacing sends it")
    start_date = models.DateField(null=True, blank=True)
    week_end_time = models.DateTimeField(null=True, blank=True)
    iracing_track_id = models.PositiveIntegerField(null=True, blank=True, help_text="kept even if the track is unknown")
    track = models.ForeignKey(Track, null=True, blank=True, on_delete=models.SET_NULL, related_name="race_weeks")
    track_name = models.CharField(max_length=200, blank=True)
    config_name = models.CharField(max_length=200, blank=True)
    race_time_descriptors = models.JSONField(default=list)
    race_lap_limit = models.PositiveIntegerField(null=True, blank=True)
    race_time_limit = models.PositiveIntegerField(null=True, blank=True, help_text="minutes")
    car_restrictions = models.JSONField(default=list, help_text="BOP per car: weight, power, fuel, tyres")
    track_state = models.JSONField(default=dict)
    weather = models.JSONField(default=dict)

    class Meta:
        constraints = (models.UniqueConstraint(fields=["season", "race_week_num"], name="uniq_race_week"),)
        ordering = ("season", "race_week_num")

    def __str__(self) -> str:
        return f"{self.season} week {self.race_week_num + 1}: {self.track_name}"


class SessionTime(models.Model):
    """A session start generated from a race week's ``race_time_descriptors`` (UTC)."""

    race_week = models.ForeignKey(RaceWeek, on_delete=models.CASCADE, related_name="session_times")
    start_time = models.DateTimeField(db_index=True)
    session_minutes = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = (models.UniqueConstraint(fields=["race_week", "start_time"], name="uniq_session_time"),)
        ordering = ("start_time",)

    def __str__(self) -> str:
        return f"{self.race_week} at {self.start_time:%Y-%m-%d %H:%M}"


class WeatherForecast(TimeStampedModel):
    """A race week's forecast (the schedule's ``weather_url``): raw key frames plus summary metrics in SI units."""

    race_week = models.OneToOneField(RaceWeek, on_delete=models.CASCADE, related_name="forecast")
    url = models.URLField(max_length=500)
    fetched_at = models.DateTimeField()
    points = models.JSONField(default=list, help_text="the forecast as iRacing sends it (scaled integers)")
    air_temp_min_c = models.FloatField(null=True, blank=True)
    air_temp_max_c = models.FloatField(null=True, blank=True)
    precip_chance_max_pct = models.FloatField(null=True, blank=True)
    wind_max_ms = models.FloatField(null=True, blank=True)

    def __str__(self) -> str:
        return f"forecast for {self.race_week}"


class RaceGuideSession(TimeStampedModel):
    """A session of ``season/race_guide``. Stored even when its season, week or track is not in the database yet
    (a foreign key would reject it): the upstream ids are kept and the links filled in when known."""

    season_id_upstream = models.PositiveIntegerField(help_text="iRacing season_id")
    series_id_upstream = models.PositiveIntegerField(db_index=True, help_text="iRacing series_id")
    race_week_num = models.PositiveSmallIntegerField(null=True, blank=True)
    race_week = models.ForeignKey(RaceWeek, null=True, blank=True, on_delete=models.SET_NULL, related_name="guide")
    start_time = models.DateTimeField(db_index=True)
    end_time = models.DateTimeField(null=True, blank=True)
    session_id = models.PositiveBigIntegerField(null=True, blank=True, help_text="set once the session exists")
    entry_count = models.PositiveIntegerField(default=0)
    super_session = models.BooleanField(default=False)

    class Meta:
        constraints = (models.UniqueConstraint(fields=["season_id_upstream", "start_time"], name="uniq_guide_session"),)

    def __str__(self) -> str:
        return f"series {self.series_id_upstream} at {self.start_time:%Y-%m-%d %H:%M}"


class Subsession(TimeStampedModel):
    """A finished session's event result (``results/get``), stored once and reused by the results bot."""

    subsession_id = models.PositiveBigIntegerField(unique=True)
    session_id = models.PositiveBigIntegerField(null=True, blank=True)
    iracing_series_id = models.PositiveIntegerField(null=True, blank=True, db_index=True)
    iracing_season_id = models.PositiveIntegerField(null=True, blank=True)
    league_id = models.PositiveIntegerField(null=True, blank=True)
    start_time = models.DateTimeField(null=True, blank=True)
    end_time = models.DateTimeField(null=True, blank=True, db_index=True)
    event_type = models.PositiveSmallIntegerField(null=True, blank=True, help_text="5 = race")
    official = models.BooleanField(default=False)
    strength_of_field = models.IntegerField(null=True, blank=True)
    iracing_track_id = models.PositiveIntegerField(null=True, blank=True)
    content_hash = models.CharField(max_length=64)
    payload = models.JSONField(default=dict, help_text="the whole results/get answer (what the result embed reads)")

    def __str__(self) -> str:
        return f"subsession {self.subsession_id}"


class Participant(models.Model):
    """A row of a session's results: a driver, or a team with its drivers (``team`` points from driver to team)."""

    subsession = models.ForeignKey(Subsession, on_delete=models.CASCADE, related_name="participants")
    simsession_number = models.SmallIntegerField(help_text="0 = main event, -1 the session before, …")
    team = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="drivers")
    cust_id = models.PositiveIntegerField(null=True, blank=True, db_index=True)
    iracing_team_id = models.IntegerField(null=True, blank=True, help_text="negative, as iRacing sends team ids")
    display_name = models.CharField(max_length=200)
    finish_position = models.IntegerField(help_text="0-based, as results/get sends it (-1: none)")
    finish_position_in_class = models.IntegerField(default=-1)
    car_id = models.PositiveIntegerField(null=True, blank=True)
    car_class_id = models.PositiveIntegerField(null=True, blank=True)
    laps_complete = models.IntegerField(default=0)
    incidents = models.IntegerField(default=0)
    best_lap_time = models.IntegerField(default=-1, help_text="1/10000 s (-1: none)")
    oldi_rating = models.IntegerField(default=-1)
    newi_rating = models.IntegerField(default=-1)

    class Meta:
        indexes = (models.Index(fields=["subsession", "simsession_number"]),)

    def __str__(self) -> str:
        return f"{self.display_name} in {self.subsession_id}"
