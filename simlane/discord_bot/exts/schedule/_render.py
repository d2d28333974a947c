"""Schedule embeds: Discord timestamps show each member their own local time."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import discord

from simlane.discord_bot.escaping import discord_safe
from simlane.iracing.models import Series, SessionTime, WeatherForecast
from simlane.iracing.selectors import WeekView

# Discord's limits for an embed's title, field value and description.
TITLE_MAX, FIELD_VALUE_MAX, DESCRIPTION_MAX = 256, 1024, 4096
NAME_MAX = 100  # longest series, track, layout or car name shown (escaped)


def _name(text: str) -> str:
    return discord_safe(text, limit=NAME_MAX)


def fit_lines(lines: list[str], limit: int) -> str:
    """Whole lines up to ``limit`` characters, then "… and N more" (a line is never cut in the middle)."""
    out: list[str] = []
    for i, line in enumerate(lines):
        more = f"… and {len(lines) - i} more"
        if len("\n".join([*out, line])) + (len(more) + 1 if i < len(lines) - 1 else 0) > limit:
            out.append(more)
            break
        out.append(line)
    return "\n".join(out)


def stamp(t: datetime, style: str = "f") -> str:
    return f"<t:{int(t.timestamp())}:{style}>"


def weather_line(weather: dict[str, Any]) -> str | None:
    """The schedule's weather summary in °C and km/h (temp_units 0 = °F, wind_units 0 = imperial)."""
    summary = weather.get("weather_summary") or {}
    lo, hi = summary.get("temp_low"), summary.get("temp_high")
    if lo is None and hi is None:
        return None
    if summary.get("temp_units") == 0:
        lo, hi = ((v - 32) * 5 / 9 if v is not None else None for v in (lo, hi))
    parts = [f"{lo:.0f}–{hi:.0f} °C" if lo is not None and hi is not None else f"{(hi or lo):.0f} °C"]
    if summary.get("precip_chance") is not None:
        parts.append(f"rain chance {summary['precip_chance']:.0f} %")
    return ", ".join(parts)


def forecast_line(f: WeatherForecast) -> str | None:
    if f.air_temp_min_c is None:
        return None
    parts = [f"{f.air_temp_min_c:.0f}–{f.air_temp_max_c:.0f} °C (forecast)"]
    if f.precip_chance_max_pct is not None:
        parts.append(f"rain chance up to {f.precip_chance_max_pct:.0f} %")
    if f.wind_max_ms is not None:
        parts.append(f"wind up to {f.wind_max_ms * 3.6:.0f} km/h")
    return ", ".join(parts)


def bop_line(restrictions: list[dict[str, Any]], car_names: dict[int, str]) -> str | None:
    rows = []
    for r in restrictions:
        bits = []
        if r.get("weight_penalty_kg"):
            bits.append(f"+{r['weight_penalty_kg']:g} kg")
        if r.get("power_adjust_pct"):
            bits.append(f"{r['power_adjust_pct']:+g} % power")
        if r.get("max_pct_fuel_fill") not in (None, 100, 0):
            bits.append(f"fuel {r['max_pct_fuel_fill']:g} %")
        if bits:
            rows.append(f"{_name(car_names.get(r['car_id'], str(r['car_id'])))}: {', '.join(bits)}")
    return "\n".join(rows[:8]) or None


def schedule_embed(series: Series, weeks: list[WeekView], car_names: dict[int, str]) -> discord.Embed:
    embed = discord.Embed(title=f"📅 {discord_safe(series.name, limit=TITLE_MAX - 2)}")
    for label, view in zip(("This week", "Next week"), weeks, strict=False):
        w = view.week
        lines = [f"**{_name(w.track_name)}**" + (f" — {_name(w.config_name)}" if w.config_name else "")]
        if view.next_sessions:
            lines.append(
                "Next: "
                + ", ".join(stamp(t, "t") for t in view.next_sessions[:4])
                + f" ({stamp(view.next_sessions[0], 'R')})"
            )
        if w.race_time_limit:
            lines.append(f"{w.race_time_limit} min race")
        elif w.race_lap_limit:
            lines.append(f"{w.race_lap_limit} laps")
        forecast = getattr(w, "forecast", None)  # None when no forecast is stored (reverse one-to-one)
        weather = forecast_line(forecast) if forecast is not None else weather_line(w.weather)
        if weather:
            lines.append(f"Weather: {weather}")
        bop = bop_line(w.car_restrictions, car_names)
        if bop:
            lines.append(f"Car restrictions:\n{bop}")
        embed.add_field(
            name=f"{label} (week {w.race_week_num + 1})", value=fit_lines(lines, FIELD_VALUE_MAX), inline=False
        )
    if not weeks:
        embed.description = "No schedule stored for this series yet (the nightly sync fetches it)."
    return embed


def guide_embed(sessions: list[SessionTime]) -> discord.Embed:
    lines = []
    for s in sessions:
        series = s.race_week.season.series
        name = series.name if series else s.race_week.season.name
        lines.append(f"{stamp(s.start_time, 't')} {_name(name)} — {_name(s.race_week.track_name)}")
    return discord.Embed(
        title="🏁 Race guide: the next three hours", description=fit_lines(lines, DESCRIPTION_MAX) or "No races."
    )
