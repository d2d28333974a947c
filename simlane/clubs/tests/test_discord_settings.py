"""The club's Discord settings: channel name patterns and reminder offsets are checked strictly."""

from __future__ import annotations

import pytest

from simlane.clubs.discord_settings import (
    ClubSettingsError,
    channel_name_render,
    channel_pattern_clean,
    reminder_offsets_format,
    reminder_offsets_parse,
)


@pytest.mark.parametrize(
    ("pattern", "cleaned", "preview"),
    [
        ("{series}-{track}-{date}", "{series}-{track}-{date}", "gt-sprint-spa-francorchamps-2026-03-07"),
        ("  Race  Night {event} ", "race-night-{event}", "race-night-sunday-cup-round-3"),
        ("{class} {date}", "{class}-{date}", "gt3-2026-03-07"),
    ],
    ids=["default", "spaces-and-case", "class"],
)
def test_a_pattern_is_normalised_as_discord_names_channels(pattern, cleaned, preview):
    assert channel_pattern_clean(pattern) == cleaned
    assert channel_name_render(cleaned) == preview


def test_a_rendered_name_is_cut_at_discords_100_characters():
    name = channel_name_render("{event}-{track}", {"event": "Long " * 30, "track": "x"})
    assert len(name) == 100 and name.startswith("long-long-")


@pytest.mark.parametrize(
    ("pattern", "error"),
    [
        ("{series}-{driver}", "Unknown placeholder {driver}: use {series}, {track}, {date}, {event}, {class}."),
        ("{Series}", "Unknown placeholder {Series}"),
        ("race-night", "needs at least one placeholder"),
        ("{series}-{track", "A brace in the channel name pattern does not belong to a placeholder."),
        ("   ", "The channel name pattern is empty."),
        ("{series}" + "x" * 100, "longer than 100 characters"),
    ],
    ids=["unknown", "case-sensitive", "no-placeholder", "stray-brace", "empty", "too-long"],
)
def test_a_bad_pattern_is_refused_with_the_reason(pattern, error):
    with pytest.raises(ClubSettingsError, match=None) as refused:
        channel_pattern_clean(pattern)
    assert error in refused.value.message


@pytest.mark.parametrize(
    ("text", "minutes", "shown"),
    [
        ("24h, 1h", [1440, 60], "1d, 1h"),
        ("30m,2d , 90m", [2880, 90, 30], "2d, 90m, 30m"),
        ("5m, 14d", [20160, 5], "14d, 5m"),
        ("", [], ""),
    ],
    ids=["two", "sorted", "bounds", "none"],
)
def test_reminder_offsets_parse_strictly(text, minutes, shown):
    assert reminder_offsets_parse(text) == minutes
    assert reminder_offsets_format(minutes) == shown


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("4m", "4m is outside 5 minutes to 14 days"),
        ("15d", "15d is outside 5 minutes to 14 days"),
        ("1h, 1h", "1h is given twice"),
        ("60m, 1h", "1h is given twice"),
        ("1h30m", "“1h30m” is not a duration"),
        ("1.5h", "“1.5h” is not a duration"),
        ("２h", "“２h” is not a duration"),
        ("1h,", "“” is not a duration"),
        ("1d,2d,3d,4d,5d,6d", "At most 5 reminders; 6 were given."),
    ],
    ids=["too-soon", "too-far", "twice", "same-duration", "compound", "fraction", "fullwidth", "trailing", "six"],
)
def test_bad_reminder_offsets_are_refused(text, error):
    with pytest.raises(ClubSettingsError) as refused:
        reminder_offsets_parse(text)
    assert error in refused.value.message
