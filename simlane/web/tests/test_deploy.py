"""Django's deployment checklist passes with the production settings and the environment the README asks for."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def test_check_deploy_is_clean_with_production_settings():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "k8#Jq2v!x9Lm4Pz7Rt1Wc6Yb3Nd5Hg0Fs8Ae2Ui9Oo4Kj7Mn1Bv6Cx3Zl5Qw8Er0Ty",
        "DJANGO_ALLOWED_HOSTS": "simlane.example.org",
        "DJANGO_DEBUG": "",
    }
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


PROBE = """
import django
django.setup()
from django.test import Client
response = Client().get("/no-such-page/", HTTP_HOST="127.0.0.1")
print(response.status_code, "Technical" if b"DEBUG = True" in response.content else "plain")
"""


def test_the_one_machine_settings_show_no_debug_page_unless_asked():
    """`simlane run` (config.settings.local) answers a missing page with a plain 404, not Django's debug page."""

    def page(debug: str) -> str:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local", "DJANGO_DEBUG": debug}
        result = subprocess.run(
            [sys.executable, "-c", PROBE], cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip().splitlines()[-1]

    assert page("") == "404 plain"
    assert page("true") == "404 Technical"  # the probe can tell: an operator who asks for debug pages gets them
