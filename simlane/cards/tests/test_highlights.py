"""Which results are highlights: podiums (of the class in multi-class races) and personal bests."""

from __future__ import annotations

from datetime import timedelta

import pytest

from simlane.cards.highlights import highlight_kind
from simlane.cards.samples import recorded
from simlane.cards.selectors import CardChoices
from simlane.iracing.models import Participant, Subsession
from simlane.results.embeds import find_participation

pytestmark = pytest.mark.django_db(transaction=True)
PB = CardChoices(personal_bests=True)


def _earlier_race(best_lap: int, *, days: int = 7, track_id: int | None = None) -> None:
    """A race the driver of the sample drove earlier at the same track in the same car."""
    sample = recorded("result", 3)
    p = find_participation(sample.result, sample.cust_id)
    assert sample.result.track is not None and sample.result.end_time is not None
    sub = Subsession.objects.create(
        subsession_id=1,
        iracing_track_id=track_id or sample.result.track.track_id,
        end_time=sample.result.end_time - timedelta(days=days),
        content_hash="x",
    )
    Participant.objects.create(
        subsession=sub,
        simsession_number=0,
        cust_id=sample.cust_id,
        display_name="x",
        finish_position=5,
        car_id=p.car.car_id,
        best_lap_time=best_lap,
    )


def _best() -> int:
    sample = recorded("result", 3)
    return int(find_participation(sample.result, sample.cust_id).driver.best_lap_time)


async def _kind(choices: CardChoices, position: int = 3) -> str | None:
    sample = recorded("result", position)
    return await highlight_kind(sample.result, sample.cust_id, choices)


async def test_a_lap_faster_than_every_earlier_race_here_in_this_car_is_a_personal_best() -> None:
    from asgiref.sync import sync_to_async

    await sync_to_async(_earlier_race)(_best() + 5000)
    assert await _kind(PB) == "pb"


@pytest.mark.parametrize(
    ("earlier", "track"),
    [(-1000, None), (0, None), (+5000, 9999)],
    ids=["slower-than-before", "same-as-before", "faster-but-another-track"],
)
async def test_no_personal_best_without_beating_an_earlier_stored_race(earlier: int, track: int | None) -> None:
    from asgiref.sync import sync_to_async

    await sync_to_async(_earlier_race)(_best() + earlier, track_id=track)
    assert await _kind(PB) is None


async def test_a_first_race_at_a_track_is_not_a_personal_best() -> None:
    assert await _kind(PB) is None


async def test_podiums_are_the_top_three() -> None:
    podiums = CardChoices(podiums=True)
    assert [await _kind(podiums, position) for position in range(5)] == ["podium"] * 3 + [None] * 2


@pytest.mark.parametrize(("position", "expected"), [(10, "podium"), (12, None)], ids=["class-p2", "class-p4"])
async def test_class_podiums_in_multiclass_races(position: int, expected: str | None) -> None:
    """P11 overall is a podium when it is P2 of its class; P13 overall (P4 of its class) is not."""
    sample = recorded("result_with_team", position)
    assert await highlight_kind(sample.result, sample.cust_id, CardChoices(podiums=True)) == expected
