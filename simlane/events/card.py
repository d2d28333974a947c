"""The signup card: the embed SimLane keeps up to date in the event's channel (pure: state in, embed dict out).

Names are escaped (``discord_safe``) and every part is kept within Discord's embed limits: a roster that does not
fit ends with "+N more", and the whole card stays under the 6,000-character total.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from simlane.discord_bot.escaping import discord_safe

from .models import EventKind, EventStatus, Signup
from .selectors import EventState, member_name

FIELD_LIMIT = 1024
TOTAL_LIMIT = 6000
MAX_FIELDS = 25
COLOURS = {
    EventStatus.OPEN: 0x2ECC71,
    EventStatus.TEAMS_FINAL: 0x3498DB,
    EventStatus.CANCELLED: 0x95A5A6,
    EventStatus.FINISHED: 0x95A5A6,
    EventStatus.ARCHIVED: 0x95A5A6,
    EventStatus.DRAFT: 0xF1C40F,
}


def footer_text(event_id: int) -> str:
    """The card's footer: how the bot recognises its own card after a crash (see the sync's recovery)."""
    return f"SimLane event {event_id}"


def stamp(at: datetime, style: str = "F") -> str:
    """A Discord timestamp: each reader sees it in their own time zone."""
    return f"<t:{int(at.timestamp())}:{style}>"


def _line(signup: Signup, index: int) -> str:
    number = f" #{signup.preferred_number}" if signup.preferred_number else ""
    return f"{index}. {discord_safe(member_name(signup.member), limit=40)}{number}"


def names_block(lines: list[str], limit: int = FIELD_LIMIT) -> str:
    """Lines joined within ``limit`` characters; what does not fit becomes "+N more"."""
    if not lines:
        return "—"
    shown: list[str] = []
    for i, line in enumerate(lines):
        rest = len(lines) - i - 1
        tail = f"\n+{rest} more" if rest else ""
        candidate = "\n".join([*shown, line])
        if len(candidate) + len(tail) > limit:
            more = len(lines) - len(shown)
            return "\n".join([*shown, f"+{more} more"])
        shown.append(line)
    return "\n".join(shown)


def _status_line(state: EventState, now: datetime) -> str:
    event = state.event
    sheet = getattr(event, "sheet", None)
    if event.status == EventStatus.CANCELLED:
        return "**Cancelled.**"
    if event.status in (EventStatus.FINISHED, EventStatus.ARCHIVED):
        return "Finished."
    if event.status == EventStatus.TEAMS_FINAL:
        return "Teams are final."
    if sheet is None:
        return ""
    if now < sheet.opens_at:
        return f"Signups open {stamp(sheet.opens_at, 'R')}."
    if now >= sheet.closes_at:
        return "Signups are closed."
    waitlist = " Full classes keep a waitlist." if sheet.waitlist else ""
    return f"Signups close {stamp(sheet.closes_at, 'R')}.{waitlist}"


def card_embed(state: EventState, now: datetime) -> dict[str, Any]:
    """The card for the event's current state."""
    event = state.event
    lines = [f"**Track:** {discord_safe(event.track_name or 'to be announced', limit=150)}"]
    if event.practice_at:
        lines.append(f"**Practice:** {stamp(event.practice_at)}")
    if event.qualifying_at:
        lines.append(f"**Qualifying:** {stamp(event.qualifying_at)}")
    lines.append(f"**Race:** {stamp(event.race_at)} ({stamp(event.race_at, 'R')}), {event.duration_minutes} min")
    if event.kind == EventKind.TEAM:
        lines.append(f"**Teams** of {event.team_min_drivers}–{event.team_max_drivers} drivers")
    status = _status_line(state, now)
    if status:
        lines.append(status)
    fields: list[dict[str, Any]] = []
    for cls in state.classes:
        name = discord_safe(cls.event_class.name, limit=80)
        roster = [_line(s, i + 1) for i, s in enumerate(cls.confirmed)]
        fields.append({"name": f"{name} — {cls.label}", "value": roster, "inline": False})
        if cls.waitlisted:
            waiting = [_line(s, i + 1) for i, s in enumerate(cls.waitlisted)]
            fields.append({"name": f"{name} waitlist ({len(waiting)})", "value": waiting, "inline": False})
    if state.teams:
        team_lines = []
        for team in state.teams:
            number = f" #{team.car_number}" if team.car_number else ""
            drivers = ", ".join(discord_safe(member_name(m.signup.member), limit=40) for m in team.members.all())
            team_lines.append(f"**{discord_safe(team.name, limit=60)}**{number}: {drivers or '—'}")
        fields.append({"name": "Teams", "value": team_lines, "inline": False})
    embed: dict[str, Any] = {
        "title": discord_safe(f"🏁 {event.title}", limit=256),
        "description": "\n".join(lines)[:4096],
        "color": COLOURS.get(EventStatus(event.status), 0x2ECC71),
        "footer": {"text": footer_text(event.id)},
    }
    fields = fields[:MAX_FIELDS]
    budget = TOTAL_LIMIT - len(embed["title"]) - len(embed["description"]) - len(embed["footer"]["text"]) - 50
    per_field = FIELD_LIMIT
    while True:
        rendered = [{**f, "value": names_block(f["value"], per_field)} for f in fields]
        size = sum(len(f["name"]) + len(f["value"]) for f in rendered)
        if size <= budget or per_field <= 60:
            break
        per_field = max(60, per_field * budget // max(size, 1) - 10)
    embed["fields"] = rendered
    return embed
