"""The README's main job: `simlane run` with no credentials is a working demo against the simulator."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db(transaction=True)
def test_demo_authenticates_lists_races_and_reports_finished_ones(settings):
    settings.IRACING_CLIENT_ID = ""
    out = io.StringIO()
    # 600× clock: three real seconds are half an hour of racing, enough for several races to finish.
    call_command("run", "--speed", "600", "--duration", "3", "--interval", "1", stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert "demo mode against the local iRacing simulator" in text
    assert "Authenticated as" in text
    assert "Races starting in the next hour" in text
    finished = [line for line in text.splitlines() if "🏁" in line]
    assert finished, text
    assert all("won by" in line and "subsession" in line for line in finished)
    assert "429s: 0" in text
