"""Tests that need a service the README does not promise are skipped visibly, and CI turns such skips into failures."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

REDIS_TEST = "simlane/core/tests/test_celery.py::test_with_a_redis_broker_tasks_go_to_a_real_worker"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port  # closed again: nothing listens there


def _pytest(**env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in {"SIMLANE_REQUIRE_SERVICES", "PYTEST_ADDOPTS"}}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", REDIS_TEST],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def redis_down() -> dict[str, str]:
    return {"SIMLANE_TEST_REDIS_URL": f"redis://127.0.0.1:{_closed_port()}/15"}


def test_without_redis_the_worker_test_is_skipped_with_the_reason(redis_down):
    run = _pytest(**redis_down)
    assert run.returncode == 0, run.stdout
    port = redis_down["SIMLANE_TEST_REDIS_URL"].split(":")[2].split("/")[0]
    assert "SKIPPED [1] simlane/conftest.py" in run.stdout
    assert f"needs Redis, which cannot be reached at 127.0.0.1:{port}" in run.stdout
    assert "1 skipped" in run.stdout


def test_when_services_are_required_an_unreachable_redis_fails_the_run(redis_down):
    run = _pytest(**redis_down, SIMLANE_REQUIRE_SERVICES="1")
    assert run.returncode == pytest.ExitCode.TESTS_FAILED, run.stdout
    assert "needs Redis, which cannot be reached" in run.stdout and "(SIMLANE_REQUIRE_SERVICES=1)" in run.stdout
    assert "skipped" not in run.stdout.splitlines()[-1]
