"""Celery never drops work: a killed worker's task is handed out again and runs to the end once.

Real workers (``celery -A config worker``) on Redis, killed with SIGKILL while the task is surely running.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from config.celery_app import app
from simlane.conftest import REDIS_URL as REDIS

VISIBILITY = 4  # seconds: short, so a dead worker's message comes back within the test


@pytest.fixture
def queue() -> str:
    # A queue of this test's own: other workers on the same Redis never take (or steal) its messages.
    return f"simlane-probe-{uuid.uuid4().hex[:8]}"


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "CELERY_BROKER_URL": REDIS,
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY),
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "SIMLANE_DATA_DIR": str(tmp_path / "data"),
    }


def _worker(tmp_path: Path, queue: str, name: str, pool: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "-I", "simlane.core.tests.celery_probe"]
    command += ["--pool", pool, "--concurrency", "1", "--without-gossip", "--without-mingle", "-Q", queue]
    command += ["-n", f"{name}@%h", "--loglevel", "INFO"]
    return subprocess.Popen(
        command, env=_env(tmp_path), stdout=open(tmp_path / f"{name}.out", "w"), stderr=subprocess.STDOUT, text=True
    )


def _send(tmp_path: Path, queue: str) -> None:
    code = (
        "import django; django.setup(); from simlane.core.tests.celery_probe import probe; "
        f"probe.apply_async(args=[{str(tmp_path)!r}], queue={queue!r})"
    )
    subprocess.run([sys.executable, "-c", code], env=_env(tmp_path), check=True, timeout=60)


def _log(tmp_path: Path) -> list[str]:
    path = tmp_path / "log"
    return path.read_text().split() if path.exists() else []


def _wait_for(tmp_path: Path, word: str, count: int, timeout: float) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        log = _log(tmp_path)
        if log[0::2].count(word) >= count:
            return log
        time.sleep(0.1)
    raise AssertionError(f"no {count}× {word!r} within {timeout} s; log: {_log(tmp_path)}")


@pytest.fixture
def workers() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for worker in started:
        if worker.poll() is None:
            worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=20)


@pytest.mark.needs_redis
def test_a_worker_process_killed_mid_task_runs_the_task_again_to_the_end_once(tmp_path, queue, workers):
    workers.append(_worker(tmp_path, queue, "prefork", pool="prefork"))
    _send(tmp_path, queue)
    log = _wait_for(tmp_path, "start", 1, timeout=60)
    child = int(log[1])
    assert child != workers[0].pid  # the pool's child process runs it, not the worker itself
    os.kill(child, signal.SIGKILL)
    # Rejected on worker loss: the message goes back to the queue and the pool's new child runs it again.
    log = _wait_for(tmp_path, "start", 2, timeout=60)
    (tmp_path / "go").touch()
    log = _wait_for(tmp_path, "done", 1, timeout=60)
    time.sleep(VISIBILITY + 2)  # long enough for any extra delivery to have happened
    log = _log(tmp_path)
    assert log[0::2] == ["start", "start", "done"], log
    assert log[5] != str(child)


@pytest.mark.needs_redis
def test_a_whole_worker_killed_mid_task_hands_the_task_to_another_worker_within_the_visibility_timeout(
    tmp_path, queue, workers
):
    workers.append(_worker(tmp_path, queue, "first", pool="solo"))
    _send(tmp_path, queue)
    log = _wait_for(tmp_path, "start", 1, timeout=60)
    assert int(log[1]) == workers[0].pid
    workers[0].send_signal(signal.SIGKILL)  # no chance to give the message back: it stays unacknowledged in Redis
    workers[0].wait(timeout=20)
    (tmp_path / "go").touch()
    killed_at = time.monotonic()
    workers.append(_worker(tmp_path, queue, "second", pool="solo"))
    log = _wait_for(tmp_path, "done", 1, timeout=VISIBILITY + 60)
    # The visibility timeout, then the next 10 s sweep for such messages (plus the worker's start-up).
    assert time.monotonic() - killed_at < VISIBILITY + 10 + 30
    time.sleep(VISIBILITY + 2)
    log = _log(tmp_path)
    assert log[0::2] == ["start", "start", "done"], log
    assert log[3] == log[5] == str(workers[1].pid)


def test_every_task_has_a_time_limit_below_the_visibility_timeout():
    # A task running longer than the visibility timeout would be handed to a second worker while it still runs.
    app.loader.import_default_modules()
    ours = {name: task for name, task in app.tasks.items() if name.startswith("simlane.")}
    assert "simlane.racenumbers.tasks.auto_sync_numbers" in ours
    for name, task in ours.items():
        assert task.time_limit, f"{name} has no time limit of its own"
        assert task.soft_time_limit and task.soft_time_limit < task.time_limit, name
        assert task.time_limit <= settings.CELERY_TASK_TIME_LIMIT, name
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] == settings.CELERY_TASK_TIME_LIMIT + 60
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
