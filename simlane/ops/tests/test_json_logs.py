"""JSON logs on request (SIMLANE_LOG_FORMAT=json): one object per line, with every secret still masked."""

from __future__ import annotations

import json
import os
import subprocess
import sys

TOKEN = "MTE0.discord-bot-token.x9Zq"

LOG_SOMETHING = """
import django, logging
django.setup()
log = logging.getLogger("simlane.test")
log.warning("connecting with %s", "{token}")
try:
    raise RuntimeError("Authorization: Bot {token}")
except RuntimeError:
    log.exception("gateway failed")
"""


def run(log_format: str, tmp_path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local", "SIMLANE_DATA_DIR": str(tmp_path)}
    env.update({"DISCORD_TOKEN": TOKEN, "SIMLANE_LOG_FORMAT": log_format})
    code = LOG_SOMETHING.format(token=TOKEN)
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)


def test_json_logs_are_one_object_per_line_and_never_show_a_token(tmp_path):
    out = run("json", tmp_path)
    assert out.returncode == 0, out.stderr
    assert TOKEN not in out.stdout + out.stderr
    records = [json.loads(line) for line in out.stderr.splitlines() if line.strip()]
    ours = [r for r in records if r["logger"] == "simlane.test"]
    assert [r["level"] for r in ours] == ["warning", "error"]
    assert ours[0]["message"] == "connecting with [REDACTED]"
    assert ours[1]["message"] == "gateway failed"
    assert "RuntimeError: Authorization: Bot [REDACTED]" in ours[1]["exception"]
    assert ours[0]["time"].endswith("Z") and ours[0]["pid"] > 0


def test_plain_logs_stay_the_default_and_are_redacted_too(tmp_path):
    out = run("plain", tmp_path)
    assert out.returncode == 0, out.stderr
    assert TOKEN not in out.stdout + out.stderr
    assert "simlane.test: connecting with [REDACTED]" in out.stderr
    assert not out.stderr.lstrip().startswith("{")


def test_an_unknown_log_format_is_refused_with_the_choices(tmp_path):
    out = run("xml", tmp_path)
    assert out.returncode != 0
    assert "SIMLANE_LOG_FORMAT must be plain or json, not 'xml'" in out.stderr
