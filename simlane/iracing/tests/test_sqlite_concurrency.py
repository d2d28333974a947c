"""Season syncs write in short transactions: other processes on the same SQLite file are never locked out, and a
sync stopped halfway is finished by the next run."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time

import pytest
from django.core.management import call_command

from simlane.iracing.models import Season, SessionTime
from simlane.iracing.simulator import Simulator, SimulatorConfig
from simlane.iracing.simulator.local import demo_environment
from simlane.iracing.sync import seasons

# Another SimLane process writing all the time (as `simlane run` does: token leases, poll state, the outbox).
OTHER_WRITER = """
import sys, time, django
from pathlib import Path
django.setup()
from django.db import OperationalError
from simlane.iracing.state import token_lease_take, token_lease_release
writes = locked = 0
while not Path({stop!r}).exists() and time.monotonic() < {until}:
    try:
        token_lease_take(account="other", owner="w", now=time.time(), lease_seconds=1)
        token_lease_release(account="other", owner="w")
        writes += 1
    except OperationalError as exc:
        locked += 1
        print(exc, file=sys.stderr)
print(writes, locked)
"""


def test_two_refreshing_syncs_and_another_writer_share_one_sqlite_file(tmp_path):
    sim = Simulator(SimulatorConfig(members=50))
    url = sim.start_in_thread()
    env = {**os.environ, **demo_environment(url), "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    env.update({"SIMLANE_DATA_DIR": str(tmp_path), "DATABASE_URL": ""})  # one SQLite file: tmp_path/simlane.sqlite3
    simlane = [sys.executable, "-m", "simlane.cli"]
    try:
        subprocess.run([*simlane, "migrate", "-v0"], env=env, check=True, timeout=300)

        other = subprocess.Popen(
            [sys.executable, "-c", OTHER_WRITER.format(stop=str(tmp_path / "stop"), until=time.monotonic() + 240)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        sync = [*simlane, "sync_iracing_series", "--refresh", "--headless"]
        syncs = [subprocess.Popen(sync, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)]
        syncs.append(subprocess.Popen(sync, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
        results = [s.communicate(timeout=300) for s in syncs]
        (tmp_path / "stop").touch()
        other_out, other_err = other.communicate(timeout=300)
    finally:
        sim.stop_thread()
    for (out, err), process in zip(results, syncs, strict=True):
        assert process.returncode == 0, err
        assert "database is locked" not in out + err
        assert "seasons created" in out
    writes, locked = map(int, other_out.split())
    assert locked == 0, other_err
    assert writes > 0


@pytest.mark.django_db(transaction=True)
def test_a_sync_stopped_between_schedules_is_finished_by_the_next_run(simulator_settings, monkeypatch):
    monkeypatch.setattr(seasons, "SCHEDULE_BATCH", 2)
    real = seasons._write_schedules
    batches: list[int] = []

    def stop_on_the_second_batch(changed, summary):
        batches.append(len(changed))
        if len(batches) == 2:
            raise RuntimeError("the process was stopped here")
        real(changed, summary)

    monkeypatch.setattr(seasons, "_write_schedules", stop_on_the_second_batch)
    with pytest.raises(RuntimeError):
        call_command("sync_iracing_series", "--headless", stdout=io.StringIO(), stderr=io.StringIO())
    # The first batch is kept whole (schedule and hash); the others are not written at all.
    done = set(Season.objects.exclude(schedule_hash="").values_list("season_id", flat=True))
    assert len(done) == 2 and Season.objects.count() == 6
    assert SessionTime.objects.filter(race_week__season__season_id__in=done).exists()
    assert not SessionTime.objects.exclude(race_week__season__season_id__in=done).exists()

    monkeypatch.setattr(seasons, "_write_schedules", real)
    out = io.StringIO()
    call_command("sync_iracing_series", "--headless", stdout=out, stderr=io.StringIO())
    assert "schedules unchanged 2" in out.getvalue()  # only the four unfinished schedules were written
    assert Season.objects.filter(schedule_hash="").count() == 0
