"""`/results last` posts a race publicly, but an error while getting it reaches only the member who asked."""

from __future__ import annotations

import pytest

from .conftest import T0, ResultsWorld, handled_errors, reply_text
from .test_e2e import Server

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    ("kind", "endpoint", "says", "error"),
    [
        ("500", "", "iRacing did not answer in time", "ServerError"),
        ("maintenance", "", "iRacing is in maintenance", "MaintenanceError"),
        ("500", "stats/", "iRacing did not answer in time", "ServerError"),
        ("500", "results/get", "iRacing did not answer in time", "ServerError"),
    ],
    ids=["lookup-fails", "maintenance", "recent-races-fail", "result-fails"],
)
async def test_iracing_trouble_during_results_last_is_told_privately(
    results_world: ResultsWorld, simcord_env, kind, endpoint, says, error
):
    one = Server(simcord_env, "one")
    (a,) = results_world.active_members(1)
    results_world.clock.advance(T0 + 86400 - results_world.clock.time())
    results_world.sim.faults.add(kind, 500, endpoint)
    result = await one.member.slash(one.chat, "results last", driver=str(a.cust_id))
    assert result.ephemeral and says in reply_text(result), reply_text(result)
    assert all(m.ephemeral for m in result.followups)
    assert list(one.chat.history()) == []  # nothing public
    assert handled_errors(simcord_env) == [error]


async def test_a_driver_without_races_is_told_privately(results_world: ResultsWorld, simcord_env):
    one = Server(simcord_env, "one")
    result = await one.member.slash(one.chat, "results last", driver="Nobody Byname")
    assert result.ephemeral and "No iRacing driver matches" in reply_text(result)
    assert list(one.chat.history()) == []
    assert handled_errors(simcord_env) == ["DriverInputError"]
