"""Matching nicknames to iRacing accounts: the name read from a nickname, and concrete tricky nicknames matched
against the simulator's world (600 members, seed 3) and its league 7001, with the accounts they must give."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from django.core.cache import cache

from simlane.clubs.matcher import outcomes_for
from simlane.clubs.matching import fold, name_parts
from simlane.iracing.client import IRacingClient
from simlane.iracing.simulator import SimClock, Simulator, SimulatorConfig
from simlane.iracing.simulator.local import demo_client_config


@pytest.mark.parametrize(
    ("nickname", "parts"),
    [
        ("[ABC] José Núñez #23 🏎️", ["jose nunez"]),
        ("ABC | jose nunez", ["jose nunez"]),
        ("JURGEN MULLER - Apex", ["jurgen muller"]),
        ("xX Max Smith Xx", ["max smith"]),
        ("𝓜𝓪𝔁 𝓢𝓶𝓲𝓽𝓱", ["max smith"]),
        ("#7 Sam O’Brien", ["sam obrien"]),
        ("Søren Van der Berg (GT3)", ["soren van der berg"]),
        ("Łukasz_Kowalski", ["lukasz kowalski"]),
        ("@everyone Kai Chen", ["kai chen"]),
        ("Max", []),
        ("TurboSnail 🐌", []),
        ("#44", []),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_the_name_read_from_a_nickname(nickname: str, parts: list[str]) -> None:
    assert [fold(p) for p in name_parts(nickname)] == parts


@pytest.fixture
async def sim() -> AsyncIterator[Simulator]:
    sim = Simulator(SimulatorConfig(members=600, seed=3), clock=SimClock(start=1_772_539_200, speed=0))
    await sim.start()
    cache.clear()
    try:
        yield sim
    finally:
        await sim.stop()


@pytest.fixture
async def client(sim: Simulator) -> AsyncIterator[IRacingClient]:
    async with IRacingClient(demo_client_config(sim.base_url), clock=sim.clock) as iracing:
        yield iracing


TRICKY = {
    "[APX] Ana Chen #23": [100080],  # team tag and number
    "ÖMER SMITH 🏁": [100094],  # case and emoji
    "Max Larsson": [100283],  # iRacing has "Max Larsson 🏎️"
    "Renée Ødegaard": [100346],  # iRacing has "~~Renée Ødegaard~~" (markdown)
    "Mika Novák": [100703],  # "Mika Novák @everyone"; "Mika Novák_Racing_" is another name
    "Lena O’Brien": [100640],  # curly apostrophe
    "José Silva (GT3) • Apex": [100206],
    "Lukasz Costa": [100598, 102796],  # accents dropped: the roster has him, and iRacing another of that name
    "noor muller": [101144],  # accents dropped, found in the roster ("<@123> Noor Müller"), nobody else has it
    "Olu Rossi | Apex": [100038, 100521],  # two roster members share the name: a conflict, never a guess
    "Mika Lefèvre": [100003, 104077],  # two iRacing drivers share the name
    "Max": [],  # a first name alone is no name
    "TurboSnail": [],
    "Renee Odegaard": [],  # accents dropped and not in the roster: iRacing's lookup does not fold accents
}


async def test_tricky_nicknames_give_exactly_these_accounts(client: IRacingClient) -> None:
    nicknames = dict(enumerate(TRICKY))
    outcomes, report = await outcomes_for(nicknames, client=client, league_id=7001, max_lookups=100)
    found = {nicknames[k]: [c.cust_id for c in o.candidates] for k, o in outcomes.items()}
    assert found == TRICKY
    sources = {nicknames[k]: {c.source for c in o.candidates} for k, o in outcomes.items() if o.candidates}
    assert sources["noor muller"] == {"roster"} and sources["[APX] Ana Chen #23"] == {"lookup"}
    assert report.unchecked == 0 and report.lookups > 0


async def test_lookups_are_cached_and_bounded(client: IRacingClient) -> None:
    nicknames = {1: "Ana Chen", 2: "ANA CHEN 🏎️", 3: "Kenji Chen", 4: "Dmitri Costa"}
    _, first = await outcomes_for(nicknames, client=client, league_id=None, max_lookups=2)
    # One search for both spellings of Ana Chen; Dmitri Costa is over budget: left for the next run, not "no match".
    assert first.lookups == 2 and first.unchecked == 1
    again, second = await outcomes_for(nicknames, client=client, league_id=None, max_lookups=2)
    assert second.lookups == 1 and second.unchecked == 0  # the others came from the cache
    assert {k: o.proposal.cust_id for k, o in again.items() if o.proposal} == {
        1: 100080,
        2: 100080,
        3: 100108,
        4: 100087,
    }


async def test_a_single_match_in_a_full_lookup_page_is_not_proposed() -> None:
    # 8,000 members: "Ana Lefèvre" names more drivers than one lookup page holds (25), so the one
    # "Ana Lefèvre_Racing_" on that page might not be the only one: the nickname is not proposed.
    sim = Simulator(SimulatorConfig(members=8000, seed=3), clock=SimClock(start=1_772_539_200, speed=0))
    await sim.start()
    cache.clear()
    try:
        async with IRacingClient(demo_client_config(sim.base_url), clock=sim.clock) as iracing:
            outcomes, report = await outcomes_for(
                {1: "Ana Lefèvre_Racing_"}, client=iracing, league_id=None, max_lookups=5
            )
    finally:
        await sim.stop()
    assert outcomes[1].candidates == () and report.too_common == 1


async def test_iracing_in_maintenance_leaves_members_unchecked_not_unmatched(sim: Simulator, client: IRacingClient):
    sim.faults.add("maintenance", 1000, endpoint="lookup/")
    outcomes, report = await outcomes_for({1: "Ana Chen", 2: "Max"}, client=client, league_id=None, max_lookups=5)
    assert outcomes == {2: outcomes[2]} and not outcomes[2].candidates  # "Max" needs no lookup
    assert report.unchecked == 1 and "maintenance" in report.lookup_error.lower()
