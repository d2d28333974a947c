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
