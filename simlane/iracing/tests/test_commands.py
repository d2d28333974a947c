"""``simlane iracing get`` against a simulator running in its own thread, as an admin would use it."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from simlane.iracing.simulator import Simulator, SimulatorConfig
from simlane.iracing.simulator.local import demo_environment


@pytest.fixture
def threaded_sim(settings):
    sim = Simulator(SimulatorConfig(members=300))
    url = sim.start_in_thread()
    for key, value in demo_environment(url).items():
        setattr(settings, key, value)
    yield sim
    sim.stop_thread()


@pytest.mark.django_db(transaction=True)
def test_get_prints_resolved_json(threaded_sim):
    member = next(m for m in threaded_sim.world.members if m.races_per_day >= 1)
    out = io.StringIO()
    call_command("iracing", "get", "stats/member_recent_races", f"cust_id={member.cust_id}", stdout=out)
    races = json.loads(out.getvalue())["races"]
    assert races and races[0]["subsession_id"] > 0
    out = io.StringIO()
    call_command("iracing", "get", "results/get", f"subsession_id={races[0]['subsession_id']}", stdout=out)
    result = json.loads(out.getvalue())
    assert result["subsession_id"] == races[0]["subsession_id"]
    assert any(r["cust_id"] == member.cust_id for r in result["session_results"][-1]["results"])


@pytest.mark.django_db(transaction=True)
def test_errors_are_one_clear_line(threaded_sim):
    with pytest.raises(CommandError, match=r"^NotFoundError: iRacing /data/results/get: HTTP 404"):
        call_command("iracing", "get", "results/get", "subsession_id=1")
    with pytest.raises(CommandError, match="not key=value"):
        call_command("iracing", "get", "results/get", "subsession_id")
