"""The simulator reads integer parameters as iRacing does: ASCII digits only, anything else is a 400."""

from __future__ import annotations

import pytest

from simlane.iracing.client import BadRequestError


@pytest.mark.parametrize(
    ("endpoint", "params"),
    [
        ("member/get", {"cust_ids": "²"}),  # a digit to str.isdigit(), not to int()
        ("member/get", {"cust_ids": "١"}),  # Arabic-Indic one: int() would read it as 1
        ("member/profile", {"cust_id": "1_000"}),  # int() reads underscores
        ("results/get", {"subsession_id": "٨٢٢٦٣٨٧٢"}),
        ("league/get", {"league_id": "７００１"}),  # full-width digits
    ],
    ids=["superscript", "arabic-indic", "underscore", "arabic-indic-id", "full-width"],
)
async def test_non_ascii_digits_are_a_bad_request_not_a_server_error(stopped_sim, endpoint, params):
    sim, client = stopped_sim
    with pytest.raises(BadRequestError):
        await client.get(endpoint, params)
    assert [c["status"] for c in sim.calls if c["kind"] == "data"] == [400]  # answered once, no 500 to retry


async def test_a_superscript_search_term_is_a_name_search_that_finds_nobody(stopped_sim):
    sim, client = stopped_sim
    assert await client.get("lookup/drivers", {"search_term": "²"}) == []
    assert [c["status"] for c in sim.calls if c["kind"] == "data"] == [200]


async def test_ascii_ids_still_work(stopped_sim):
    sim, client = stopped_sim
    member = sim.world.members[3]
    found = await client.get("member/get", {"cust_ids": f"{member.cust_id}"})
    assert [m["cust_id"] for m in found["members"]] == [member.cust_id]
    league = sim.world.leagues[0]
    assert (await client.get("league/get", {"league_id": str(league.league_id)}))["league_name"] == league.name
