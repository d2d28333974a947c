"""One call from a result (and its lap rows, when known) to the card's PNG: synchronous, CPU only, thread-safe."""

from __future__ import annotations

from simlane.iracing.client.models import SubsessionResult
from simlane.iracing.client.models.results import LapRow

from .card import Teammate, card_data, render_card
from .laps import RaceLaps, group_of, race_laps


def card_png(
    result: SubsessionResult,
    cust_id: int,
    *,
    rows: list[LapRow] | None = None,
    laps: RaceLaps | None = None,
    others: list[Teammate] | None = None,
    theme: str = "dark",
) -> bytes:
    """The race card of ``cust_id`` in ``result``; charts when lap rows (or joined laps) are given."""
    if laps is None and rows is not None:
        laps = race_laps(result, rows)
    data = card_data(result, cust_id, others=others, laps=laps)
    return render_card(data, laps, group_of(result, cust_id), theme=theme)
