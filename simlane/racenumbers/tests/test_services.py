"""Claims, releases, trades and the audit log, on the real database (SQLite and, in CI, PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from django.db import connections

from simlane.racenumbers.models import AuditAction, AuditEntry, ClaimStatus, MemberLink, NumberClaim
from simlane.racenumbers.numbers import NumberInputError
from simlane.racenumbers.selectors import available_numbers, number_config_get
from simlane.racenumbers.services import (
    NumbersError,
    member_link,
    member_link_verify,
    number_claim,
    number_config_update,
    number_force_release,
    number_release,
    trade_answer,
    trade_offer,
)
from simlane.racenumbers.sync import RosterEntry, roster_reconcile

G = 1000
NOW = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
pytestmark = pytest.mark.django_db(transaction=True)


def test_two_members_claiming_the_same_number_at_once_exactly_one_wins():
    number_config_update(guild_id=G, actor_id=1, min_number=1, max_number=99)
    outcomes: dict[int, str] = {}
    barrier = threading.Barrier(8)

    def claim(user: int) -> None:
        barrier.wait()
        try:
            number_claim(guild_id=G, user_id=user, user_name=f"user{user}", number="42")
            outcomes[user] = "won"
        except NumbersError as exc:
            outcomes[user] = exc.message
        finally:
            connections.close_all()

    threads = [threading.Thread(target=claim, args=(u,)) for u in range(10, 18)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [u for u, o in outcomes.items() if o == "won"]
    assert len(winners) == 1
    assert all(o == f"#42 is taken by <@{winners[0]}>." for u, o in outcomes.items() if u != winners[0])
    assert NumberClaim.objects.filter(active=True).count() == 1


def test_leading_zeros_are_distinct_numbers_unless_the_server_says_otherwise():
    number_claim(guild_id=G, user_id=1, user_name="a", number="07")
    number_claim(guild_id=G, user_id=2, user_name="b", number="7")
    assert sorted(NumberClaim.objects.values_list("number", flat=True)) == ["07", "7"]
    other = G + 1
    number_config_update(guild_id=other, actor_id=1, leading_zeros_distinct=False)
    number_claim(guild_id=other, user_id=1, user_name="a", number="07")
    with pytest.raises(NumbersError, match=r"#7 is taken by <@1>"):
        number_claim(guild_id=other, user_id=2, user_name="b", number="7")


def test_bad_numbers_change_nothing():
    number_config_update(guild_id=G, actor_id=1, min_number=1, max_number=99)
    for typed, says in [("100", "outside this server's range, 1–99"), ("abc", "1 to 3 digits"), ("4 2", "digits")]:
        with pytest.raises(NumberInputError, match=says):
            number_claim(guild_id=G, user_id=5, user_name="e", number=typed)
    assert not NumberClaim.objects.exists()


def test_pools_let_the_same_number_exist_once_per_class():
    number_config_update(guild_id=G, actor_id=1, pools=["GT3", "GTP"])
    number_claim(guild_id=G, user_id=1, user_name="a", number="7", pool="gt3")
    number_claim(guild_id=G, user_id=2, user_name="b", number="7", pool="GTP")
    with pytest.raises(NumbersError, match="Pick a pool"):
        number_claim(guild_id=G, user_id=3, user_name="c", number="8")
    with pytest.raises(NumbersError, match="taken"):
        number_claim(guild_id=G, user_id=3, user_name="c", number="7", pool="GT3")


def test_release_is_for_the_holder_and_force_release_is_audited():
    number_claim(guild_id=G, user_id=1, user_name="a", number="12")
    with pytest.raises(NumbersError, match="is <@1>'s"):
        number_release(guild_id=G, user_id=2, number="12")
    number_force_release(guild_id=G, actor_id=99, number="12", reason="inactive")
    number_claim(guild_id=G, user_id=2, user_name="b", number="12")
    actions = list(AuditEntry.objects.order_by("id").values_list("action", "actor_id", "number", "subject_id"))
    assert actions == [
        (AuditAction.CLAIM, 1, "12", 1),
        (AuditAction.FORCE_RELEASE, 99, "12", 1),
        (AuditAction.CLAIM, 2, "12", 2),
    ]


def test_a_swap_changes_both_claims_atomically_and_keeps_the_history():
    number_claim(guild_id=G, user_id=1, user_name="a", number="3")
    number_claim(guild_id=G, user_id=2, user_name="b", number="5")
    trade = trade_offer(guild_id=G, from_user=1, to_user=2, now=NOW)
    with pytest.raises(NumbersError, match="Only the member the swap was offered to"):
        trade_answer(guild_id=G, trade_id=trade.id, user_id=1, accept=True, now=NOW)
    trade_answer(guild_id=G, trade_id=trade.id, user_id=2, accept=True, now=NOW)
    held = dict(NumberClaim.objects.filter(active=True).values_list("discord_user_id", "number"))
    assert held == {1: "5", 2: "3"}
    assert NumberClaim.objects.filter(active=False).count() == 2
    assert AuditEntry.objects.filter(action=AuditAction.TRADE).count() == 2
    with pytest.raises(NumbersError, match="no longer open"):
        trade_answer(guild_id=G, trade_id=trade.id, user_id=2, accept=True, now=NOW)


def test_available_numbers_skip_the_taken_ones():
    number_config_update(guild_id=G, actor_id=1, min_number=1, max_number=5)
    number_claim(guild_id=G, user_id=1, user_name="a", number="2")
    assert available_numbers(config=number_config_get(guild_id=G), pool="") == ["1", "3", "4", "5"]


def test_sync_reports_exactly_the_differences_and_verifies_only_with_proof():
    number_config_update(guild_id=G, actor_id=1, league_id=7001)
    for user, number, cust in [(1, "7", 101), (2, "12", 102), (3, "20", 103), (4, "30", None), (5, "44", 105)]:
        number_claim(guild_id=G, user_id=user, user_name=f"u{user}", number=number)
        if cust:
            member_link(guild_id=G, user_id=user, cust_id=cust, iracing_name=f"driver {cust}")
    member_link_verify(guild_id=G, user_id=1, cust_id=101, method="admin approval", actor_id=9)
    roster = [
        RosterEntry(101, "driver 101", "7"),  # synced: the verified account has the claimed number
        RosterEntry(102, "driver 102", "21"),  # mismatch
        RosterEntry(103, "driver 103", None),  # in the league, no number yet
        RosterEntry(106, "driver 106", "07"),  # nobody claimed "07" ("7" is another number)
    ]
    config = number_config_get(guild_id=G)
    report = roster_reconcile(config=config, roster=roster, actor_id=1, now=datetime(2026, 3, 3, tzinfo=UTC))
    assert [r["user_id"] for r in report.synced] == [1]
    assert [(r["user_id"], r["number"], r["iracing_number"]) for r in report.mismatch] == [(2, "12", "21")]
    assert [r["user_id"] for r in report.to_assign] == [3]
    assert sorted((r["user_id"], r["linked"]) for r in report.not_in_roster) == [(4, False), (5, True)]
    assert sorted((r["cust_id"], r["number"]) for r in report.unclaimed) == [(102, "21"), (106, "07")]
    statuses = dict(NumberClaim.objects.values_list("discord_user_id", "status"))
    assert statuses == {
        1: ClaimStatus.SYNCED,
        2: ClaimStatus.MISMATCH,
        3: ClaimStatus.CLAIMED,
        4: ClaimStatus.NOT_IN_ROSTER,
        5: ClaimStatus.NOT_IN_ROSTER,
    }
    assert list(MemberLink.objects.filter(verified=True).values_list("discord_user_id", flat=True)) == [1]
    again = roster_reconcile(config=config, roster=roster, actor_id=1, now=datetime(2026, 3, 4, tzinfo=UTC))
    assert again.to_verify == [] and AuditEntry.objects.filter(action=AuditAction.STATUS).count() == 4
