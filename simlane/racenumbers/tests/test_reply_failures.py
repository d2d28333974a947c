"""When Discord fails the reply to a saved change, the member is never told to try again: the change stands, a
follow-up and the announcement say it."""

from __future__ import annotations

import pytest

from simlane.racenumbers.models import NumberClaim

from .conftest import League, Server, handled, text

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("status", [500, 404])
async def test_a_failed_reply_after_a_claim_never_says_try_again(league: League, simcord_env, status):
    s = Server(simcord_env)
    member = s.members[0]
    await s.admin.slash(s.chat, "setup", min_number=1, max_number=99, announcements=s.news)
    simcord_env.inject_error("POST", "/interactions/*/callback", status=status)
    result = await member.slash(s.chat, "claim", number="7")
    assert "Something went wrong" not in text(result) and "try again" not in text(result)
    assert "#7 is yours" in text(result)  # the follow-up
    assert handled(simcord_env) == []
    assert [n async for n in NumberClaim.objects.filter(active=True).values_list("number", flat=True)] == ["7"]
    assert any(f"<@{member.id}> claimed #7" in m.content for m in s.news.history())
