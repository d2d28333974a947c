"""The card maker keeps the event loop free and turns any drawing failure into "no card"."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

from simlane.cards.post import CardMaker, others_in_race
from simlane.cards.samples import recorded


async def test_rendering_runs_in_a_worker_thread_while_the_loop_keeps_going() -> None:
    sample = recorded("result")
    seen: list[str] = []
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cards-test")
    maker = CardMaker(None, pool=pool)

    async def card() -> None:
        png = await maker.render(sample.result, sample.cust_id, charts=False)
        assert png is not None and png.startswith(b"\x89PNG")
        seen.append("card")

    async def meanwhile() -> None:
        await asyncio.sleep(0)  # one turn of the loop: it only comes while the card is drawn elsewhere
        seen.append("loop")

    await asyncio.gather(card(), meanwhile())
    assert seen == ["loop", "card"]
    # The pool's thread did the drawing, not the loop's.
    assert any(t.name.startswith("cards-test") for t in threading.enumerate())
    pool.shutdown()


async def test_a_render_that_takes_too_long_gives_no_card() -> None:
    sample = recorded("result")
    maker = CardMaker(None, timeout=0.000001)
    assert await maker.render(sample.result, sample.cust_id) is None


def test_other_tracked_drivers_are_listed_best_placed_first_without_the_driver() -> None:
    sample = recorded("result")
    race = sample.result.main_event()
    assert race is not None
    ids = [r.cust_id or 0 for r in race.results]
    tracked = frozenset({ids[20], ids[1], sample.cust_id})
    others = others_in_race(sample.result, sample.cust_id, set(tracked))
    assert [(o.name, o.position) for o in others] == [
        (race.results[1].display_name, 2),
        (race.results[20].display_name, 21),
    ]
