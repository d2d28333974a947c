"""Driver autocomplete answers within Discord's 3 seconds whatever iRacing does, from iRacing, earlier answers or
drivers SimLane already stores; names match ignoring case and accents.

The real bot in simcord against the simulator on a stopped clock: a client that waits out a rate limit or backs
off would move the simulated clock (that is how waits pass on a stopped clock), so "no waiting" is measured there,
and time spent on slow responses is measured on the real clock.
"""

from __future__ import annotations

import time

import pytest

from simlane.discord_bot.drivers import AUTOCOMPLETE_BUDGET, SUGGESTION_TTL, Driver, suggestions_for
from simlane.iracing.models import Participant, Subsession
from simlane.results.models import TrackedDriver

from .conftest import ResultsWorld
from .test_e2e import Server

pytestmark = pytest.mark.django_db(transaction=True)
LOOKUPS = "data:lookup/drivers"


Choices = list[dict[str, str]]


async def timed_autocomplete(world: ResultsWorld, server: Server, typed: str) -> tuple[Choices, float, float]:
    """The choices, the real seconds they took and how far the simulated clock moved meanwhile."""
    clock_before, started = world.clock.time(), time.perf_counter()
    choices = await server.member.autocomplete(server.chat, "track", "driver", typed)
    return choices, time.perf_counter() - started, world.clock.time() - clock_before


async def store_participant(cust_id: int, name: str) -> None:
    sub = await Subsession.objects.acreate(subsession_id=77_000_001, content_hash="x")
    await Participant.objects.acreate(
        subsession=sub, simsession_number=0, cust_id=cust_id, display_name=name, finish_position=3
    )


@pytest.mark.parametrize(
    ("kind", "extra"),
    [("429", {}), ("500", {}), ("504_html", {})],
    ids=["rate-limited", "server-errors", "cloudfront-page"],
)
async def test_autocomplete_answers_within_the_budget_while_iracing_fails(
    results_world: ResultsWorld, simcord_env, kind, extra
):
    w = results_world
    one = Server(simcord_env, "one")
    (a,) = w.active_members(1)
    await TrackedDriver.objects.acreate(guild_id=one.guild.id, cust_id=900_001, display_name="Mika Lefèvre")
    await store_participant(900_002, "Zoë Ångström")
    # A healthy answer first: cached for the same text, and reused for longer texts once iRacing fails.
    healthy, _, _ = await timed_autocomplete(w, one, a.display_name[:4])
    assert {"name": f"{a.display_name} ({a.cust_id})", "value": str(a.cust_id)} in healthy

    w.sim.faults.add(kind, 50, "lookup/", **extra)
    lookups = w.sim.counters[LOOKUPS]
    choices, seconds, waited = await timed_autocomplete(w, one, a.display_name)
    assert seconds < AUTOCOMPLETE_BUDGET + 0.5 and waited == 0
    assert w.sim.counters[LOOKUPS] == lookups + 1  # asked once, never retried
    assert {"name": f"{a.display_name} ({a.cust_id})", "value": str(a.cust_id)} in choices
    # Drivers SimLane stores still answer, found without case or accents.
    for typed, name in [("lefevre", "Mika Lefèvre (900001)"), ("ANGSTROM", "Zoë Ångström (900002)")]:
        choices, seconds, waited = await timed_autocomplete(w, one, typed)
        assert seconds < AUTOCOMPLETE_BUDGET + 0.5 and waited == 0
        assert [c["name"] for c in choices] == [name]


async def test_a_slow_iracing_is_cut_off_at_the_budget(results_world: ResultsWorld):
    # Called directly, on the real event loop: inside simcord, asyncio's timers run on its virtual Discord clock.
    w = results_world
    (a,) = w.active_members(1)
    await TrackedDriver.objects.acreate(guild_id=1, cust_id=900_001, display_name="Mika Lefèvre")
    suggestions = suggestions_for(w.client)
    first = await suggestions.suggest(a.display_name[:4], guild_id=1, now=w.clock.time())
    assert Driver(a.cust_id, a.display_name) in first
    w.sim.faults.add("timeout", 50, "lookup/")  # held unanswered until the simulator stops
    for typed, expected in [
        (a.display_name, Driver(a.cust_id, a.display_name)),
        ("LEFEVRE", Driver(900_001, "Mika Lefèvre")),
    ]:
        started = time.perf_counter()
        found = await suggestions.suggest(typed, guild_id=1, now=w.clock.time())
        assert time.perf_counter() - started < AUTOCOMPLETE_BUDGET + 0.3
        assert found == [expected]


async def test_an_answer_is_reused_for_a_few_minutes_then_asked_again(results_world: ResultsWorld, simcord_env):
    w = results_world
    one = Server(simcord_env, "one")
    (a,) = w.active_members(1)
    first, _, _ = await timed_autocomplete(w, one, a.display_name)
    lookups = w.sim.counters[LOOKUPS]
    again, _, _ = await timed_autocomplete(w, one, a.display_name)
    assert again == first and w.sim.counters[LOOKUPS] == lookups
    w.clock.advance(SUGGESTION_TTL + 1)
    later, _, _ = await timed_autocomplete(w, one, a.display_name)
    assert later == first and w.sim.counters[LOOKUPS] == lookups + 1


async def test_a_tracked_driver_is_found_by_name_without_accents(results_world: ResultsWorld, simcord_env):
    one = Server(simcord_env, "one")
    await TrackedDriver.objects.acreate(guild_id=one.guild.id, cust_id=900_001, display_name="Mika Lefèvre")
    other = Server(simcord_env, "two")  # another server's list is not offered here
    await TrackedDriver.objects.acreate(guild_id=other.guild.id, cust_id=900_003, display_name="Ana Lefevre")
    choices = await one.member.autocomplete(one.chat, "untrack", "driver", "lefevre")
    assert [c["name"] for c in choices] == ["Mika Lefèvre (900001)"]
    choices = await one.member.autocomplete(one.chat, "track", "driver", "Lefevre")
    assert {"name": "Mika Lefèvre (900001)", "value": "900001"} in choices
    assert "Ana Lefevre (900003)" not in [c["name"] for c in choices]
