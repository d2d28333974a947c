"""The results post of a club event: finishing order by class, each team with its drivers, the club's members
highlighted. Pure: a ``results/get`` payload and who the club's drivers are in, one embed payload out.

One field per car class lists its finishing order (teams with their drivers in team events). Discord caps a field at
1,024 characters and an embed at 6,000, so a long class is cut from the bottom, but a row with a club member is never
cut: the rows between the top of the class and a club member's row become "…". Names are escaped (``discord_safe``)
and no text can mention anyone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from simlane.discord_bot.escaping import discord_safe
from simlane.iracing.client.models import DriverResult, SubsessionResult
from simlane.results.embeds import EMBED_TOTAL_MAX, FIELD_VALUE_MAX, FIELDS_MAX, RESULTS_URL, fit_embed

CLUB_MARK = "★"
NAME_MAX = 60  # a driver or team name in a line; iRacing's are far shorter
TITLE_NAME_MAX = 200
CLUB_COLOUR = 0x3498DB
# Room kept for the title, description and footer when the fields share the 6,000-character total.
HEADER_BUDGET = 1200


@dataclass(frozen=True)
class ResultRow:
    """One car in the finishing order: a driver, or a team with its drivers."""

    position: int  # in class, 1-based
    name: str
    drivers: tuple[tuple[str, bool], ...]  # (name, is a club member) of a team's drivers; empty for a solo car
    club: bool  # the car carries a club member
    laps: int
    interval: str
    out: bool


def _interval(row: DriverResult, leader_laps: int) -> str:
    if row.finish_position_in_class == 0:
        return ""
    if row.laps_complete < leader_laps:
        down = leader_laps - row.laps_complete
        return f" +{down} lap{'s' if down > 1 else ''}"
    seconds = row.class_interval.seconds
    return f" +{seconds:.3f}s" if seconds is not None else ""


def _row(row: DriverResult, club: Mapping[int, str], leader_laps: int) -> ResultRow:
    drivers = tuple((d.display_name, d.cust_id in club) for d in row.driver_results)
    is_club = (row.cust_id in club) if not row.driver_results else any(flag for _name, flag in drivers)
    return ResultRow(
        position=row.finish_position_in_class.ordinal or 0,
        name=row.display_name,
        drivers=drivers,
        club=is_club,
        laps=row.laps_complete,
        interval=_interval(row, leader_laps),
        out=bool(row.reason_out) and row.reason_out != "Running",
    )


def _name(text: str, club: bool) -> str:
    safe = discord_safe(text, limit=NAME_MAX)
    return f"**{CLUB_MARK} {safe}**" if club else safe


def row_line(row: ResultRow) -> str:
    """``P3 ★ Name +1.234s`` for a driver; a team adds its drivers after a dash."""
    # A team's own name is plain: its club members are marked among its drivers.
    line = f"`P{row.position:<2}` {_name(row.name, row.club and not row.drivers)}"
    if row.drivers:
        line += " — " + ", ".join(_name(name, flag) for name, flag in row.drivers)
    line += row.interval
    if row.out:
        line += " (DNF)"
    return line


def class_lines(rows: list[ResultRow], limit: int) -> str:
    """The rows as lines within ``limit`` characters: the top of the class, then every club row, "…" between."""
    lines = [row_line(r) for r in rows]
    text = "\n".join(lines)
    if len(text) <= limit:
        return text
    club = [i for i, r in enumerate(rows) if r.club]
    for top in range(len(rows) - 1, -1, -1):
        keep = sorted(set(range(top)) | set(club))
        out: list[str] = []
        previous = -1
        for i in keep:
            if i != previous + 1:
                out.append("…")
            out.append(lines[i])
            previous = i
        if previous != len(rows) - 1:
            out.append(f"… {len(rows) - len(keep)} more")
        text = "\n".join(out)
        if len(text) <= limit:
            return text
    # Club rows alone still too long (a class full of club members): cut at a line boundary.
    cut = text[: limit - 2].rsplit("\n", 1)[0]
    return cut + "\n…"


def results_summary_embed(
    result: SubsessionResult, *, event_title: str, club_drivers: Mapping[int, str]
) -> dict[str, Any]:
    """The event's results embed; ``club_drivers`` maps the club's members' iRacing ids to their names."""
    race = result.main_event()
    rows = race.results if race is not None else []
    classes = {c.car_class_id: c for c in result.car_classes}
    order: list[int] = []
    by_class: dict[int, list[DriverResult]] = {}
    for r in sorted(rows, key=lambda r: r.finish_position if r.finish_position >= 0 else 10_000):
        key = r.car_class_id or 0
        if key not in by_class:
            order.append(key)
            by_class[key] = []
        by_class[key].append(r)
    team_event = any(r.driver_results for r in rows)
    fields = []
    budget = min(FIELD_VALUE_MAX, (EMBED_TOTAL_MAX - HEADER_BUDGET) // max(1, min(len(order), FIELDS_MAX)))
    club_cars = 0
    for key in order[:FIELDS_MAX]:
        class_rows = sorted(by_class[key], key=lambda r: r.finish_position_in_class)
        leader_laps = class_rows[0].laps_complete if class_rows else 0
        parsed = [_row(r, club_drivers, leader_laps) for r in class_rows]
        club_cars += sum(r.club for r in parsed)
        info = classes.get(key)
        label = (info.short_name or info.name) if info else (class_rows[0].car_class_short_name or "")
        name = f"{discord_safe(label or 'Overall', limit=80)} — {len(parsed)} {'teams' if team_event else 'cars'}"
        fields.append({"name": name, "value": class_lines(parsed, budget) or "—", "inline": False})
    where = result.track.full_name if result.track else ""
    session = result.league_name or result.series_name or result.session_name or ""
    description = [
        " • ".join(discord_safe(part, limit=TITLE_NAME_MAX) for part in (session, where) if part),
        f"{len(rows)} {'teams' if team_event else 'cars'}"
        + (f" • SOF {result.event_strength_of_field}" if result.event_strength_of_field else ""),
        f"{CLUB_MARK} **bold**: the club's drivers ({club_cars} {'team' if team_event else 'car'}"
        f"{'' if club_cars == 1 else 's'})",
    ]
    start = f"{result.start_time:%Y-%m-%d %H:%M} UTC" if result.start_time else "start time unknown"
    embed: dict[str, Any] = {
        "type": "rich",
        "title": f"🏁 Results: {discord_safe(event_title, limit=TITLE_NAME_MAX)}",
        "url": RESULTS_URL.format(result.subsession_id),
        "description": "\n".join(line for line in description if line),
        "color": CLUB_COLOUR,
        "fields": fields,
        "footer": {"text": f"Subsession {result.subsession_id} • {start}"},
    }
    if result.end_time:
        embed["timestamp"] = result.end_time.isoformat()
    return fit_embed(embed)
