"""Celery: in-process without a broker, real workers over Redis with one."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from simlane.conftest import REDIS_URL as REDIS

WHERE_IT_RAN = (
    "import django, os; django.setup(); from celery.result import EagerResult; "
    "from simlane.core.tasks import health_check; r = health_check.delay(); "
    "print('in-process' if isinstance(r, EagerResult) and r.get()['pid'] == os.getpid() else 'queued')"
)


@pytest.mark.parametrize(("broker", "where"), [("", "in-process"), ("memory://", "queued")], ids=["none", "memory"])
def test_without_a_broker_tasks_run_in_process(broker, where, tmp_path):
    # kombu's in-memory transport is a broker with no server: with it, .delay() queues for a worker instead.
    env = {**os.environ, "CELERY_BROKER_URL": broker, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    env["SIMLANE_DATA_DIR"] = str(tmp_path)
    out = subprocess.run([sys.executable, "-c", WHERE_IT_RAN], env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == where, out.stderr


@pytest.mark.needs_redis
def test_with_a_redis_broker_tasks_go_to_a_real_worker(tmp_path):
    env = {
        **os.environ,
        "CELERY_BROKER_URL": REDIS,
        "CELERY_RESULT_BACKEND": REDIS,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "SIMLANE_DATA_DIR": str(tmp_path),
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool",
            "solo",
            "--concurrency",
            "1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            "celery",
            "-n",
            "simlane-test@%h",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        client = subprocess.run(
            [
                sys.executable,
                "-c",
                "import django; django.setup(); from simlane.core.tasks import health_check; "
                "r = health_check.delay().get(timeout=30); print(r['status'], r['pid'])",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        worker.terminate()
        log, _ = worker.communicate(timeout=20)
    assert client.returncode == 0, client.stderr
    status, pid = client.stdout.split()
    assert status == "ok"
    assert int(pid) == worker.pid, log  # the worker process ran it, not the caller


@pytest.mark.parametrize("url", ["", REDIS])
def test_eagerness_follows_the_broker_setting(url):
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; import django; django.setup(); print(settings.CELERY_TASK_ALWAYS_EAGER)",
        ],
        env={**os.environ, "CELERY_BROKER_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.local"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.stdout.strip() == str(not url)
