"""The deployment files: compose.yaml is a valid Compose file for the documented process set, and the same
processes (web, worker, beat) started natively on PostgreSQL and Redis come up ready."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import jsonschema  # type: ignore[import-untyped]
import psycopg
import pytest
import yaml
from django.conf import settings

from simlane.conftest import POSTGRES_URL, REDIS_URL

ROOT = Path(settings.BASE_DIR)
PROCESSES = {"postgres", "redis", "web", "bot", "worker", "beat"}


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    return loaded


def test_compose_file_follows_the_compose_specification():
    schema = json.loads((ROOT / "deploy" / "schema" / "compose-spec.json").read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(compose()), key=str)
    assert not errors, [f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors]


def test_compose_runs_each_process_with_a_health_check_and_keeps_its_data():
    services = compose()["services"]
    assert set(services) >= PROCESSES
    for name in PROCESSES:
        assert services[name].get("healthcheck", {}).get("test"), f"{name} has no health check"
    assert services["postgres"]["volumes"] == ["pgdata:/var/lib/postgresql/data"]
    assert services["redis"]["volumes"] == ["redisdata:/data"]
    assert services["web"]["command"][:2] == ["simlane", "web"]
    assert services["bot"]["command"][:2] == ["simlane", "bot"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "config", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]
    for name in ("web", "bot", "worker", "beat"):  # every SimLane process waits for migrations and the services
        depends = services[name]["depends_on"]
        assert depends["migrate"] == {"condition": "service_completed_successfully"}
        assert depends["postgres"] == depends["redis"] == {"condition": "service_healthy"}
        assert services[name]["environment"]["CELERY_BROKER_URL"].startswith("redis://redis:")


def test_the_image_copies_only_what_exists_and_runs_the_web_app():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    for line in dockerfile.splitlines():
        if line.startswith("COPY "):
            for source in line.split()[1:-1]:
                assert (ROOT / source).exists(), f"the Dockerfile copies {source}, which is not in the repository"
    assert 'CMD ["simlane", "web", "--host", "0.0.0.0", "--port", "8000"]' in dockerfile


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(url: str, processes: list[subprocess.Popen[bytes]], timeout: float = 90) -> httpx.Response:
    deadline = time.monotonic() + timeout
    last: object = None
    while time.monotonic() < deadline:
        assert all(p.poll() is None for p in processes), "a process of the set exited"
        try:
            response = httpx.get(url, timeout=5)
            if response.status_code == 200:
                return response
            last = response.text
        except httpx.TransportError as exc:
            last = exc
        time.sleep(0.5)  # waiting on other processes' start-up: nothing to inject a clock into
    raise AssertionError(f"{url} never became ready: {last}")


@pytest.mark.needs_postgres
@pytest.mark.needs_redis
def test_web_worker_and_beat_started_natively_on_postgresql_and_redis_come_up_ready(tmp_path):
    name = f"simlane_procs_{uuid.uuid4().hex[:8]}"
    base = POSTGRES_URL.rsplit("/", 1)[0]
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    queue = f"simlane-procs-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": f"{base}/{name}",
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_RESULT_BACKEND": REDIS_URL,
        "REDIS_URL": REDIS_URL,
        "SIMLANE_DATA_DIR": str(tmp_path),
        "DISCORD_CLIENT_ID": "100000000000000001",  # not the demo: the web app serves the real database
        "SIMLANE_LOG_FORMAT": "json",
    }
    simlane = [sys.executable, "-m", "simlane.cli"]
    processes: list[subprocess.Popen[bytes]] = []
    try:
        subprocess.run([*simlane, "migrate", "--noinput", "-v0"], env=env, check=True, timeout=300)
        port = free_port()
        logs = {n: open(tmp_path / f"{n}.log", "wb") for n in ("web", "worker", "beat")}  # noqa: SIM115
        commands = {
            "web": [*simlane, "web", "--host", "127.0.0.1", "--port", str(port)],
            "worker": [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool",
                "solo",
                "-Q",
                queue,
                "-n",
                f"{queue}@%h",
                "--without-gossip",
                "--without-mingle",
            ],
            "beat": [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "beat",
                "-l",
                "INFO",
                "-s",
                str(tmp_path / "beat"),
            ],
        }
        for n, command in commands.items():
            processes.append(subprocess.Popen(command, env=env, stdout=logs[n], stderr=subprocess.STDOUT))
        ready = wait_ready(f"http://127.0.0.1:{port}/readyz", processes).json()
        assert ready["checks"]["database"] == {"ok": True, "required": True, "detail": "postgresql"}
        assert ready["checks"]["broker"] == {"ok": True, "required": True, "detail": "reachable"}
        # The worker takes work from the broker and reaches the same database.
        probe = (
            "import django; django.setup(); from simlane.core.tasks import health_check; "
            f"print(health_check.apply_async(queue={queue!r}).get(timeout=60)['database'])"
        )
        out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120)
        assert out.stdout.strip() == "postgresql", out.stderr
        metrics = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text
        assert 'simlane_queue_depth{queue="celery"}' in metrics
        assert processes[2].poll() is None and "beat: Starting" in (tmp_path / "beat.log").read_text()
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
