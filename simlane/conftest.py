"""Fixtures shared by every app's tests."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO.parent / "shared" / "fixtures" / "iracing-recorded"


@pytest.fixture
def fixtures_dir() -> Path:
    # Never skip: a missing fixture directory is a broken checkout, not a reason to test less.
    assert FIXTURES.is_dir(), f"recorded iRacing fixtures not found at {FIXTURES}"
    return FIXTURES
