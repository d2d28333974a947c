"""The result embed: what a server sees when a tracked driver finishes a race.

Format of the ir2dis bot (🏁 title with name and position, class position in multi-class races, series, track, car,
field size, laps, incidents, SOF, best lap m:ss.mmm, official or not, footer with subsession id and UTC start,
green P1–P3 / orange P4–P10 / red otherwise, plus iRating and safety-rating change, class SOF, the team of a team
event and a link to the result on iRacing's site. Positions in results/get are 0-based; shown 1-based.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simlane.core.errors import ApplicationError
from simlane.discord_bot.escaping import discord_safe
from simlane.iracing.client.models import DriverResult, SubsessionResult

RESULTS_URL = "https://members-ng.iracing.com/web/racing/results-stats/results?subsessionid={}"
GREEN, ORANGE, RED = 0x2ECC71, 0xE67E22, 0xE74C3C

# Discord's embed limits, in characters: title, description, field count, field name, field value; footer, whole embed.
TITLE_MAX, DESCRIPTION_MAX, FIELDS_MAX, FIELD_NAME_MAX, FIELD_VALUE_MAX = 256, 4096, 25, 256, 1024
FOOTER_MAX, EMBED_TOTAL_MAX = 2048, 6000
# Longest series, track, car, team, league or class name shown (escaped); iRacing's own are far shorter.
NAME_MAX = 200


class DriverNotInResultError(ApplicationError):
    """The driver did not take part in the main event of this subsession."""


@dataclass(frozen=True)
class Participation:
    """The driver's own row, and the team row it belongs to in team events."""

    driver: DriverResult
    team: DriverResult | None

    @property
    def car(self) -> DriverResult:
        """The row that carries the car's position (the team's in team events)."""
        return self.team or self.driver


def find_participation(result: SubsessionResult, cust_id: int) -> Participation:
    """Find the driver in the main event (``simsession_number == 0``), inside a team if need be."""
    race = result.main_event()
    if race is None:
        raise DriverNotInResultError(f"subsession {result.subsession_id} has no main event")
    for row in race.results:
        if row.cust_id == cust_id:
            return Participation(row, None)
        for member in row.driver_results:
            if member.cust_id == cust_id:
                return Participation(member, row)
    raise DriverNotInResultError(f"driver {cust_id} is not in the race of subsession {result.subsession_id}")


def position_colour(position: int) -> int:
    if position <= 3:
        return GREEN
    return ORANGE if position <= 10 else RED


def render_result_embed(result: SubsessionResult, cust_id: int) -> dict[str, Any]:
    """The Discord embed payload for ``cust_id``'s result in ``result``."""
    p = find_participation(result, cust_id)
    race = result.main_event()
    assert race is not None
    overall = p.car.finish_position.ordinal or 0
    multiclass = len(result.car_classes) > 1
    class_position = p.car.finish_position_in_class.ordinal
    # The facts (position, class position) always show: only the name is cut to leave room for them.
    facts = f" — P{overall}" + (f" (Class P{class_position})" if multiclass and class_position else "")
    title = f"🏁 {discord_safe(p.driver.display_name, limit=TITLE_MAX - len('🏁 ') - len(facts))}{facts}"

    # Each line is bounded, so that no name can push the others out of the description.
    lines = [f"**Series** {_safe(result.series_name or result.session_name or 'Hosted session')}"]
    if result.track:
        lines.append(f"**Track** {_safe(result.track.full_name)}")
    if p.car.car_name:
        lines.append(f"**Car** {_safe(p.car.car_name)}")
    if p.team:
        lines.append(f"**Team** {_safe(p.team.display_name)}")
    if result.league_name:
        lines.append(f"**League** {_safe(result.league_name)}")

    fields: list[tuple[str, str]] = [
        ("Field", str(len(race.results))),
        ("Laps", str(p.car.laps_complete)),
        ("Incidents", _incidents(p)),
        ("SOF", str(result.event_strength_of_field or "—")),
    ]
    if multiclass:
        own_class = next((c for c in result.car_classes if c.car_class_id == p.car.car_class_id), None)
        if own_class and own_class.strength_of_field:
            fields.append(
                (
                    f"{discord_safe(own_class.short_name or own_class.name or 'Class', limit=NAME_MAX)} SOF",
                    str(own_class.strength_of_field),
                )
            )
    fields.append(("Best lap", p.driver.best_lap_time.format()))
    if p.driver.irating_change is not None:
        fields.append(("iRating", f"{p.driver.oldi_rating} → {p.driver.newi_rating} ({p.driver.irating_change:+d})"))
    old_sr, new_sr = p.driver.old_sub_level.value, p.driver.new_sub_level.value
    if old_sr is not None and new_sr is not None:
        fields.append(("Safety rating", f"{old_sr:.2f} → {new_sr:.2f} ({new_sr - old_sr:+.2f})"))
    fields.append(("Session", "Official" if result.official_session else "Unofficial"))

    start = f"{result.start_time:%Y-%m-%d %H:%M} UTC" if result.start_time else "start time unknown"
    embed: dict[str, Any] = {
        "type": "rich",
        "title": title,
        "url": RESULTS_URL.format(result.subsession_id),
        "description": "\n".join(lines),
        "color": position_colour(overall),
        "fields": [{"name": name, "value": value, "inline": True} for name, value in fields],
        "footer": {"text": f"Subsession {result.subsession_id} • {start}"},
    }
    if result.end_time:
        embed["timestamp"] = result.end_time.isoformat()
    return fit_embed(embed)


def _safe(text: str) -> str:
    return discord_safe(text, limit=NAME_MAX)


def _incidents(p: Participation) -> str:
    if p.team:
        return f"{p.driver.incidents} (team {p.team.incidents})"
    return str(p.driver.incidents)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fit_embed(embed: dict[str, Any]) -> dict[str, Any]:
    """Cut every part to Discord's limits, then drop trailing fields until the 6,000-character total fits."""
    embed["title"] = _cut(embed.get("title", ""), TITLE_MAX)
    embed["description"] = _cut(embed.get("description", ""), DESCRIPTION_MAX)
    embed["fields"] = [
        {**f, "name": _cut(f["name"], FIELD_NAME_MAX), "value": _cut(f["value"], FIELD_VALUE_MAX)}
        for f in embed.get("fields", [])[:FIELDS_MAX]
    ]
    if "footer" in embed:
        embed["footer"] = {**embed["footer"], "text": _cut(embed["footer"]["text"], FOOTER_MAX)}
    while embed_length(embed) > EMBED_TOTAL_MAX and embed["fields"]:
        embed["fields"].pop()
    if embed_length(embed) > EMBED_TOTAL_MAX:
        excess = embed_length(embed) - EMBED_TOTAL_MAX
        embed["description"] = _cut(embed["description"], max(1, len(embed["description"]) - excess))
    return embed


def embed_length(embed: dict[str, Any]) -> int:
    """The characters Discord counts towards the 6,000 total."""
    total = len(embed.get("title", "")) + len(embed.get("description", ""))
    total += sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields", []))
    total += len(embed.get("footer", {}).get("text", "")) + len(embed.get("author", {}).get("name", ""))
    return total


def embed_as_text(embed: dict[str, Any]) -> str:
    """A terminal rendering of an embed (for previews and the demo)."""
    out = [embed["title"], embed.get("url", ""), embed.get("description", "")]
    out += [f"{f['name']}: {f['value']}" for f in embed.get("fields", [])]
    out.append(embed.get("footer", {}).get("text", ""))
    return "\n".join(line for line in out if line)
