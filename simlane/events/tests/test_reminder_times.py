"""Which reminder, nudge and stint alert is current at a given time, and what they say: the rules members see."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from simlane.events.reminders import (
    club_offsets,
    due_offset,
    mention_chunks,
    nudge_due,
    nudge_text,
    reminder_dm_text,
    reminder_text,
    stint_alert_text,
)

RACE = datetime(2026, 3, 7, 19, 0, tzinfo=UTC)
EPOCH = 1772910000  # 2026-03-07 19:00 UTC


@pytest.mark.parametrize(
    ("before", "expected"),
    [
        pytest.param(timedelta(hours=30), None, id="before-the-first-offset"),
        pytest.param(timedelta(hours=24), 1440, id="exactly-24h"),
        pytest.param(timedelta(hours=5), 1440, id="between-24h-and-1h"),
        pytest.param(timedelta(minutes=60), 60, id="exactly-1h"),
        pytest.param(timedelta(minutes=1), 60, id="a-minute-before"),
        pytest.param(timedelta(0), None, id="at-the-start"),
        pytest.param(-timedelta(minutes=5), None, id="after-the-start"),
    ],
)
def test_the_current_reminder_with_the_default_offsets(before: timedelta, expected: int | None) -> None:
    assert due_offset(starts_at=RACE, offsets=club_offsets(None), now=RACE - before) == expected


def test_a_club_without_reminders_gets_none_and_custom_offsets_are_used() -> None:
    assert due_offset(starts_at=RACE, offsets=club_offsets([]), now=RACE - timedelta(minutes=30)) is None
    assert due_offset(starts_at=RACE, offsets=club_offsets([15, 180]), now=RACE - timedelta(minutes=100)) == 180
    assert due_offset(starts_at=RACE, offsets=club_offsets([15, 180]), now=RACE - timedelta(minutes=10)) == 15


@pytest.mark.parametrize(
    ("before_close", "due"),
    [
        pytest.param(timedelta(hours=30), False, id="too-early"),
        pytest.param(timedelta(hours=24), True, id="24h-before-cut-off"),
        pytest.param(timedelta(hours=2), True, id="2h-before"),
        pytest.param(timedelta(minutes=59), False, id="last-hour-too-late"),
        pytest.param(-timedelta(hours=1), False, id="closed"),
    ],
)
def test_the_nudge_is_due_in_the_day_before_the_cut_off(before_close: timedelta, due: bool) -> None:
    opens = RACE - timedelta(days=7)
    closes = RACE - timedelta(hours=2)
    assert nudge_due(closes_at=closes, opens_at=opens, now=closes - before_close) is due


def test_no_nudge_before_the_sheet_opens_or_without_a_cut_off() -> None:
    closes = RACE - timedelta(hours=2)
    assert nudge_due(closes_at=closes, opens_at=closes - timedelta(hours=3), now=closes - timedelta(hours=4)) is False
    assert nudge_due(closes_at=None, opens_at=None, now=RACE - timedelta(hours=4)) is False


def test_the_reminder_mentions_the_confirmed_drivers_with_local_times_and_escapes_the_title() -> None:
    text = reminder_text(title="Sunday *Cup* @everyone", starts_at=RACE, offset=60, user_ids=[11, 22])
    assert text == (
        f"⏰ **Sunday \\*Cup\\* @\u200beveryone** starts <t:{EPOCH}:R> (<t:{EPOCH}:F>).\nConfirmed drivers: <@11> <@22>"
    )


def test_the_dm_says_how_to_turn_dms_off() -> None:
    text = reminder_dm_text(title="Cup", club="Demo League", starts_at=RACE, channel_id=555)
    assert f"<t:{EPOCH}:R>" in text and "<#555>" in text and "`/reminders dm:False`" in text


def test_the_nudge_names_the_members_and_how_to_stop_nudges() -> None:
    text = nudge_text(title="Cup", closes_at=RACE, user_ids=[5, 6])
    assert "Not answered yet: <@5> <@6>" in text and "`/reminders nudge:False`" in text


def test_many_members_are_split_into_messages_discord_accepts() -> None:
    ids = [10**17 + i for i in range(95)]
    chunks = mention_chunks(ids)
    assert [len(c) for c in chunks] == [40, 40, 15]
    longest = nudge_text(title="x" * 100, closes_at=RACE, user_ids=chunks[0])
    assert len(longest) <= 2000


def test_the_stint_alert_names_the_driver_team_and_start() -> None:
    text = stint_alert_text(user_id=42, team="Blue _Team_", stint=3, starts_at=RACE, offset=15)
    assert text == (
        f"🔔 <@42>, you are up in 15 minutes: stint 3 for **Blue \\_Team\\_** starts <t:{EPOCH}:R> (<t:{EPOCH}:t>)."
    )
