"""The pure plan of an event's Discord side: names as Discord makes them, its limits, who may join team voice, and
which steps fall due when."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from simlane.events import discord_plan as plan
from simlane.events.discord_plan import CategoryUse, EventFacts, Step, Timing

RACE = datetime(2026, 3, 7, 19, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "discord_name"),
    [
        ("Spa 24h chat", "spa-24h-chat"),
        ("  GT3 --  Spa   ", "gt3-spa"),
        ("Round #3: Monza (GT3)!", "round-3-monza-gt3"),
        ("Nürburgring_Nordschleife", "nürburgring_nordschleife"),
        ("Le Mans 🏁", "le-mans-🏁"),
        ("!!!", "event"),
    ],
    ids=["spaces", "dash-runs", "punctuation", "unicode-underscore", "emoji", "nothing-left"],
)
def test_a_text_channel_is_named_as_discord_names_it(typed, discord_name):
    assert plan.text_channel_name(typed) == discord_name


def test_the_clubs_pattern_fills_its_placeholders_then_normalises():
    values = {"series": "IMSA Endurance", "track": "Daytona (Road)", "date": "2026-03-07"}
    assert plan.event_channel_name("{series}-{track}-{date}", values) == "imsa-endurance-daytona-road-2026-03-07"


def test_a_long_name_is_cut_to_100_characters_before_discord_refuses_it():
    assert len(plan.event_channel_name("{event}", {"event": "x" * 150})) == 100
    assert len(plan.team_role_name("T" * 80, "E" * 80)) == 100
    assert plan.voice_name("A" * 120, "race").endswith("A race") and len(plan.voice_name("A" * 120, "race")) == 100


def test_categories_overflow_to_a_second_one_at_50_channels():
    assert plan.category_pick([]) == plan.CategoryChoice(1, None)
    assert plan.category_pick([CategoryUse(1, 111, 49)]) == plan.CategoryChoice(1, 111)
    assert plan.category_pick([CategoryUse(1, 111, 50)]) == plan.CategoryChoice(2, None)
    assert plan.category_pick([CategoryUse(2, 222, 10), CategoryUse(1, 111, 50)]) == plan.CategoryChoice(2, 222)
    assert plan.category_pick([CategoryUse(1, 111, 48)], needed=3) == plan.CategoryChoice(2, None)
    assert plan.category_name("GT Sprint", 1) == "GT Sprint"
    assert plan.category_name("GT Sprint", 2) == "GT Sprint 2"


def test_server_caps_are_checked_before_asking_discord():
    plan.check_channel_room(channels_now=499)
    with pytest.raises(plan.LimitReached, match="500 of Discord's 500 channels"):
        plan.check_channel_room(channels_now=500)
    with pytest.raises(plan.LimitReached, match="498 of Discord's 500 channels, so SimLane cannot add 3"):
        plan.check_channel_room(channels_now=498, adding=3)
    plan.check_role_room(roles_now=248, adding=2)
    with pytest.raises(plan.LimitReached, match="turn team roles off"):
        plan.check_role_room(roles_now=249, adding=2)


def test_team_voice_lets_the_team_and_admins_in_and_nobody_else():
    overwrites = plan.team_voice_overwrites(
        everyone_role_id=1, bot_user_id=9, admin_role_id=5, team_role_id=7, member_ids=[20, 21]
    )
    by_target = {(o.target_id, o.kind): o for o in overwrites}
    view, connect = 1 << 10, 1 << 20
    assert by_target[(1, "role")].deny & view and by_target[(1, "role")].deny & connect
    for target in [(5, "role"), (7, "role"), (9, "member")]:
        assert by_target[target].allow & view and by_target[target].allow & connect
    assert (20, "member") not in by_target  # the team role carries the drivers


def test_without_team_roles_each_driver_gets_a_seat():
    overwrites = plan.team_voice_overwrites(
        everyone_role_id=1, bot_user_id=9, admin_role_id=None, team_role_id=None, member_ids=[21, 20, 21]
    )
    members = [o.target_id for o in overwrites if o.kind == "member"]
    assert members == [9, 20, 21]
    assert [o.target_id for o in overwrites if o.kind == "role"] == [1]


def test_markers_tell_event_1_from_event_12():
    topic = "Signups and results. SimLane event #12"
    assert plan.has_marker(topic, 12)
    assert not plan.has_marker(topic, 1)
    assert plan.has_marker("SimLane event #1", 1)
    assert not plan.has_marker(None, 1)


def test_create_events_is_required_not_manage_events():
    manage_events_only = (1 << 33) | (1 << 4)
    assert plan.missing_permissions(Step.SCHEDULED_EVENT, manage_events_only) == ["Create Events"]
    assert plan.missing_permissions(Step.SCHEDULED_EVENT, 1 << 44) == []
    assert plan.missing_permissions(Step.TEAM_ROLES, 1 << 3) == []  # Administrator
    sentence = plan.permission_problem(Step.TEAM_ROLES, ["Manage Roles"])
    assert sentence.startswith("SimLane could not create the team roles: it needs Manage Roles on this server.")


def _facts(**kw: Any) -> EventFacts:
    base: dict[str, Any] = {"race_at": RACE, "duration": timedelta(hours=2), "team": True, "teams_final": True}
    return EventFacts(**(base | kw))


TIMING = Timing(race_voice_before=timedelta(hours=24), archive_after=timedelta(hours=6))


@pytest.mark.parametrize(
    ("now", "steps", "next_at"),
    [
        (RACE - timedelta(days=3), ["category", "text_channel", "card", "scheduled_event", "team_threads",
                                    "team_roles", "practice_voice"], RACE - timedelta(hours=24)),
        (RACE - timedelta(hours=24), ["category", "text_channel", "card", "scheduled_event", "team_threads",
                                      "team_roles", "practice_voice", "race_voice"], RACE),
        (RACE, [..., "race_voice", "event_start"], RACE + timedelta(hours=2)),
        (RACE + timedelta(hours=2), [..., "event_start", "event_end"], RACE + timedelta(hours=8)),
        (RACE + timedelta(hours=8), ["card", "archive"], None),
    ],
    ids=["days-before", "race-voice-opens", "race-start", "race-end", "archive"],
)  # fmt: skip
def test_time_driven_steps_fall_due_at_their_moment(now, steps, next_at):
    due = plan.steps_due(_facts(), TIMING, now)
    got = [str(s) for s in due.steps]
    if steps[0] is ...:
        assert got[-len(steps) + 1 :] == steps[1:] and got[0] == "category"
    else:
        assert got == steps
    assert due.next_at == next_at


def test_a_solo_event_and_teams_not_final_get_no_team_objects():
    solo = plan.steps_due(_facts(team=False, teams_final=False), TIMING, RACE - timedelta(hours=1))
    assert [str(s) for s in solo.steps] == ["category", "text_channel", "card", "scheduled_event"]
    draft = plan.steps_due(_facts(teams_final=False), TIMING, RACE - timedelta(hours=1))
    assert Step.TEAM_THREADS not in draft.steps and Step.RACE_VOICE not in draft.steps


def test_team_roles_off_and_channels_off():
    no_roles = plan.steps_due(_facts(team_roles=False), TIMING, RACE - timedelta(days=2))
    assert Step.TEAM_ROLES not in no_roles.steps and Step.TEAM_THREADS in no_roles.steps
    no_channels = plan.steps_due(_facts(channels_enabled=False), TIMING, RACE + timedelta(days=1))
    assert [str(s) for s in no_channels.steps] == ["card", "scheduled_event", "event_start", "event_end"]


def test_a_cancelled_event_is_only_tidied_away():
    cancelled = plan.steps_due(_facts(cancelled=True), TIMING, RACE - timedelta(days=2))
    assert cancelled.steps == [Step.CARD, Step.ARCHIVE]
    no_channels = _facts(cancelled=True, channels_enabled=False)
    assert plan.steps_due(no_channels, TIMING, RACE - timedelta(days=2)).steps == [Step.CARD, Step.EVENT_END]
