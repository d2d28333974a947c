"""The README's main job: `simlane run` with no credentials is a working demo against the simulator."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db(transaction=True, databases=["default", "demo"])
def test_demo_sets_up_a_server_tracks_drivers_and_posts_their_races(settings):
    out = io.StringIO()
    call_command("run", "--speed", "600", "--duration", "6", stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert "Demo mode" in text
    assert "Authenticated as" in text
    assert "Race results will be posted in" in text
    assert text.count("Tracking ") == 6
    posts = [block for block in text.split("#race-results\n")[1:]]
    assert posts, text
    assert all(block.startswith("🏁 ") and "Subsession " in block for block in posts)
    assert "429s: 0" in text
    assert f"{len(posts)} results posted" in text
    # Car numbers in the same demo server: a claim, a link an admin verifies, and a roster sync.
    assert "/claim number:" in text and "is yours" in text
    assert "/verify member:@driver-fan  →  " in text and "is verified as" in text
    assert "/sync  →  ✅ Synced" in text


@pytest.mark.django_db(transaction=True, databases=["default", "demo"])
def test_the_demo_leaves_the_real_database_alone():
    from simlane.results.models import TrackedDriver

    call_command("run", "--speed", "600", "--duration", "1", stdout=io.StringIO(), stderr=io.StringIO())
    assert not TrackedDriver.objects.exists()
    assert TrackedDriver.objects.using("demo").count() == 6  # the demo's rows are in its own database
