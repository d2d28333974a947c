"""A club's Discord settings, checked strictly: the event-channel name pattern and the reminder offsets.

Pure functions over text; ``services.discord_settings_update`` applies them. Event channels (created by the bot
for a club's events) are named from the pattern; Discord itself lowercases a text channel's name, turns spaces
into dashes and keeps at most 100 characters, so SimLane does the same first and the preview shows the name
Discord will really use.
"""

from __future__ import annotations

import re
from datetime import timedelta

from simlane.core.errors import ApplicationError

PLACEHOLDERS = ("series", "track", "date", "event", "class")
DEFAULT_PATTERN = "{series}-{track}-{date}"
CHANNEL_NAME_MAX = 100  # Discord's limit for a channel name
MAX_REMINDERS = 5
REMINDER_MIN = timedelta(minutes=5)
REMINDER_MAX = timedelta(days=14)
DEFAULT_REMINDERS = (24 * 60, 60)  # minutes before the event
DEFAULT_STINT_ALERTS = (15,)  # minutes before a stint starts
ARCHIVE_DELAY_MAX_HOURS = 30 * 24
RACE_VOICE_MAX_HOURS = 7 * 24
SAMPLE = {
    "series": "GT Sprint",
    "track": "Spa-Francorchamps",
    "date": "2026-03-07",
    "event": "Sunday Cup Round 3",
    "class": "GT3",
}

_TOKEN = re.compile(r"\{([^{}]*)\}")
_PUNCTUATION = re.compile(r"[!-,./:-@\[-^`{-~]")  # ASCII punctuation except "-" and "_"
_DASHES = re.compile(r"-{2,}")
_UNITS = {"m": 1, "h": 60, "d": 24 * 60}
_OFFSET = re.compile(r"([0-9]{1,4})([mhd])")


class ClubSettingsError(ApplicationError):
    """A club setting was refused; the message says why. Nothing was changed."""


def channel_name_normalise(text: str) -> str:
    """The name Discord gives a text channel typed as ``text``: lowercase, runs of spaces as one dash, ≤ 100."""
    return re.sub(r"\s+", "-", text.strip().lower())[:CHANNEL_NAME_MAX]


def channel_pattern_clean(pattern: str) -> str:
    """The pattern, normalised as a channel name, if its placeholders are all known; refused otherwise."""
    pattern = pattern.strip()
    if not pattern:
        raise ClubSettingsError("The channel name pattern is empty.")
    if len(pattern) > CHANNEL_NAME_MAX:
        raise ClubSettingsError(f"The channel name pattern is longer than {CHANNEL_NAME_MAX} characters.")
    names = _TOKEN.findall(pattern)
    unknown = sorted({n for n in names if n not in PLACEHOLDERS})
    allowed = ", ".join(f"{{{p}}}" for p in PLACEHOLDERS)
    if unknown:
        shown = ", ".join(f"{{{n}}}" for n in unknown)
        raise ClubSettingsError(f"Unknown placeholder {shown}: use {allowed}.")
    if "{" in _TOKEN.sub("", pattern) or "}" in _TOKEN.sub("", pattern):
        raise ClubSettingsError("A brace in the channel name pattern does not belong to a placeholder.")
    if not names:
        raise ClubSettingsError(f"The pattern needs at least one placeholder ({allowed}), or every channel "
                                "would have the same name.")  # fmt: skip
    return channel_name_normalise(pattern)


def text_channel_name(text: str, *, fallback: str = "event") -> str:
    """The name Discord gives a text channel created as ``text``.

    Discord lowercases it, turns whitespace into dashes, drops ASCII punctuation other than ``-`` and ``_`` (letters
    of any script, digits and emoji stay), collapses runs of dashes and trims them at both ends. It refuses a name
    past 100 characters instead of cutting it, so SimLane cuts first. ``fallback`` when nothing is left.
    """
    name = _PUNCTUATION.sub("", text.lower())
    name = _DASHES.sub("-", re.sub(r"\s+", "-", name)).strip("-")
    return name[:CHANNEL_NAME_MAX] or fallback


def channel_name_render(pattern: str, values: dict[str, str] | None = None) -> str:
    """The channel name an event gets from ``pattern`` (the sample event when no values are given)."""
    given = values or SAMPLE
    return text_channel_name(_TOKEN.sub(lambda m: given.get(m.group(1), ""), pattern))


def event_hours_check(*, archive_delay_hours: int | None, race_voice_hours: int | None) -> None:
    """Refuse an archive delay past 30 days or race voice opening outside 1 hour to 7 days before the race."""
    if archive_delay_hours is not None and not 0 <= archive_delay_hours <= ARCHIVE_DELAY_MAX_HOURS:
        raise ClubSettingsError(f"Tidy events away between 0 and {ARCHIVE_DELAY_MAX_HOURS} hours after the race.")
    if race_voice_hours is not None and not 1 <= race_voice_hours <= RACE_VOICE_MAX_HOURS:
        raise ClubSettingsError(f"Open race voice between 1 and {RACE_VOICE_MAX_HOURS} hours before the race.")


def reminder_offsets_parse(text: str) -> list[int]:
    """Minutes before an event, from e.g. ``24h, 1h`` (units m, h, d); longest first. Empty: no reminders."""
    parts = [p.strip().lower() for p in text.split(",")] if text.strip() else []
    minutes: list[int] = []
    for part in parts:
        found = _OFFSET.fullmatch(part.replace(" ", ""))
        if found is None:
            raise ClubSettingsError(f"“{part}” is not a duration: write a number and m, h or d, like 24h or 30m.")
        value = int(found.group(1)) * _UNITS[found.group(2)]
        if not REMINDER_MIN <= timedelta(minutes=value) <= REMINDER_MAX:
            raise ClubSettingsError(f"{part} is outside 5 minutes to 14 days before the event.")
        if value in minutes:
            raise ClubSettingsError(f"{part} is given twice.")
        minutes.append(value)
    if len(minutes) > MAX_REMINDERS:
        raise ClubSettingsError(f"At most {MAX_REMINDERS} reminders; {len(minutes)} were given.")
    return sorted(minutes, reverse=True)


def reminder_offsets_format(minutes: list[int]) -> str:
    """``[1440, 60]`` as ``1d, 1h``: the largest whole unit of each."""
    out = []
    for value in minutes:
        unit = next(u for u in ("d", "h", "m") if value % _UNITS[u] == 0)
        out.append(f"{value // _UNITS[unit]}{unit}")
    return ", ".join(out)
