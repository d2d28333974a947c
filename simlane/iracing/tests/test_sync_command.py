"""`simlane sync_iracing_reference` end to end against the simulator: progress, an honest summary, idempotency."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from simlane.iracing.models import Car


@pytest.mark.django_db(transaction=True)
def test_sync_reports_what_it_did_and_the_second_run_is_served_from_the_cache(simulator_settings):
    out, err = io.StringIO(), io.StringIO()
    call_command("sync_iracing_reference", stdout=out, stderr=err)
    first = out.getvalue()
    assert "car/get" in first and "created   12" in first
    assert "API calls 4, cache hits 0" in first
    assert "[##############################] 4/4" in err.getvalue()  # the progress bar reached the end
    assert Car.objects.count() == 12

    out, err = io.StringIO(), io.StringIO()
    call_command("sync_iracing_reference", "--headless", stdout=out, stderr=err)
    assert "created 0, updated 0, unchanged" in out.getvalue() and "API calls 0, cache hits 4" in out.getvalue()
    assert err.getvalue() == ""  # --headless: no progress bar


def test_without_credentials_the_command_says_what_to_do(settings):
    settings.IRACING_CLIENT_ID = ""
    with pytest.raises(CommandError, match="No iRacing credentials"):
        call_command("sync_iracing_reference")


@pytest.mark.django_db(transaction=True)
def test_series_sync_command_summarises_and_checks_its_options(simulator_settings):
    out = io.StringIO()
    call_command("sync_iracing_series", "--headless", stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert "seasons created 6" in text and "tracks synced 12" in text and "API calls 2" in text
    out = io.StringIO()
    call_command("sync_iracing_series", "--headless", stdout=out, stderr=io.StringIO())
    assert (
        "seasons created 0, updated 0, unchanged 6" in out.getvalue() and "API calls 0, cache hits 1" in out.getvalue()
    )
    with pytest.raises(CommandError, match="--year and --quarter go together"):
        call_command("sync_iracing_series", "--year", "2026")
