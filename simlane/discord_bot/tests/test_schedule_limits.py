"""Schedule and race-guide embeds stay within Discord's limits with long names and many races, and cut whole
lines with an "… and N more" instead of cutting a line in the middle."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from simlane.discord_bot.exts.schedule._render import DESCRIPTION_MAX, TITLE_MAX, guide_embed, schedule_embed
from simlane.iracing.models import RaceWeek, Season, Series, SessionTime
from simlane.iracing.selectors import WeekView

LONG = "Nürburgring *Nordschleife* " * 20
NOW = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)


def week(num: int) -> RaceWeek:
    series = Series(series_id=1, name=LONG)
    season = Season(season_id=1, name=LONG, series=series)
    return RaceWeek(
        season=season,
        race_week_num=num,
        track_name=LONG,
        config_name=LONG,
        race_time_limit=60,
        weather={},
        car_restrictions=[{"car_id": c, "weight_penalty_kg": 5, "power_adjust_pct": -1} for c in range(8)],
    )


def test_a_long_series_name_is_cut_and_every_field_fits():
    weeks = [WeekView(week(0), [NOW + timedelta(hours=h) for h in range(4)]), WeekView(week(1), [])]
    embed = schedule_embed(Series(series_id=1, name=LONG), weeks, {c: LONG for c in range(8)})
    assert embed.title is not None and len(embed.title) <= TITLE_MAX and embed.title.endswith("…")
    assert [f.name for f in embed.fields] == ["This week (week 1)", "Next week (week 2)"]
    for field in embed.fields:
        value = str(field.value)
        assert len(value) <= 1024 and value.startswith("**Nürburgring \\*Nordschleife\\*")
        assert "60 min race" in value  # the facts come before the car list, which is what gets cut
    assert len(embed) <= 6000


def test_the_race_guide_ends_with_how_many_races_it_left_out():
    sessions = [SessionTime(start_time=NOW + timedelta(minutes=m), race_week=week(0)) for m in range(200)]
    embed = guide_embed(sessions)
    lines = str(embed.description).splitlines()
    assert len(str(embed.description)) <= DESCRIPTION_MAX
    shown = len(lines) - 1
    assert lines[-1] == f"… and {200 - shown} more"
    assert all(line.startswith("<t:") and line.endswith("…") for line in lines[:-1])  # whole lines, names cut
