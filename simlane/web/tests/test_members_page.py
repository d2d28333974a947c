"""The members page: the latest sync, members and their iRacing links, proposals and conflicts; admins decide any
proposal and start a sync, a member decides only their own; refusals change nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from simlane.clubs.models import DiscordIntent, DiscordMemberSync, IntentKind, MemberProposal, ProposalStatus, SyncKind
from simlane.discord_oauth_standin import DEMO_GUILD_ID, DEMO_MEMBER_ID
from simlane.racenumbers import services as numbers
from simlane.racenumbers.models import MemberLink

from .clubs_setup import DELEGATED_ID, MANAGER_ID, MIKA_ID, OTHER_MEMBER_ID, TWIN_B_ID, populate, populate_members
from .conftest import login

pytestmark = pytest.mark.django_db

C = f"/dashboard/clubs/{DEMO_GUILD_ID}/"
M = f"{C}members/"


@pytest.fixture
def setup(standin, world):
    setup = populate(world)
    populate_members(setup)
    return setup


def client_for(user_id: int) -> Client:
    client = Client()
    login(client, user_id=user_id)
    return client


def links() -> dict[int, tuple[int, bool]]:
    return {u: (c, v) for u, c, v in MemberLink.objects.values_list("discord_user_id", "cust_id", "verified")}


def open_proposals() -> list[int]:
    return sorted(
        MemberProposal.objects.filter(status=ProposalStatus.OPEN).values_list("member__discord_user_id", flat=True)
    )


def test_the_page_shows_the_sync_proposals_conflicts_and_link_states(setup):
    now = timezone.now()
    DiscordMemberSync.objects.create(
        club=setup.club, kind=SyncKind.FULL, started_at=now - timedelta(hours=1), finished_at=now, seen=9, added=9,
        proposals=2, conflicts=3,
    )  # fmt: skip
    numbers.member_link(guild_id=DEMO_GUILD_ID, user_id=MANAGER_ID, cust_id=100200, iracing_name="Club Manager")
    numbers.member_link(guild_id=DEMO_GUILD_ID, user_id=DELEGATED_ID, cust_id=100201, iracing_name="Del Egated")
    numbers.member_link_verify(
        guild_id=DEMO_GUILD_ID, user_id=DELEGATED_ID, cust_id=100201, method="iracing", actor_id=None
    )

    page = client_for(MANAGER_ID).get(M).content.decode()
    assert "9 members listed, 9 added, 0 updated, 0 left; 2 proposals, 3 conflicts." in page
    assert "Sync members now" in page
    # Ana's and Ömer's proposals, with where each was found.
    assert page.count('data-testid="proposal"') == 2
    assert (
        '(nickname “[APX] Ana Chen #23”) → Ana Chen <code>100080</code> <span class="muted">from the league roster'
        in page
    )
    assert '→ Ömer Smith <code>100094</code> <span class="muted">from the iRacing driver search' in page
    # Each conflict says why and how to settle it.
    assert "Why: iRacing account 100108 is proposed for 2 members" in page
    assert "Why: the nickname matches 2 iRacing drivers" in page
    assert "Why: the member left the server" in page
    assert "Confirm Mika Lefèvre (104077)" in page and "Confirm Mika Lefevre (104078)" in page
    # Link states: none, pending, verified.
    assert 'Club Manager <code>100200</code> <span class="badge">pending</span>' in page
    assert 'Del Egated <code>100201</code> <span class="badge ok">verified ✅</span>' in page
    assert page.count('<span class="muted">none</span>') == 5  # the other active members (7, two linked)
    assert "Dmitri Costa</td>" not in page  # left: listed only in the conflict


def test_a_failed_sync_says_why(setup):
    DiscordMemberSync.objects.create(
        club=setup.club, kind=SyncKind.FULL, started_at=timezone.now(),
        error="SimLane lacks the Server Members intent: turn it on in the Developer Portal.",
    )  # fmt: skip
    page = client_for(DEMO_MEMBER_ID).get(M).content.decode()
    assert "failed</span> SimLane lacks the Server Members intent: turn it on in the Developer Portal." in page


def test_an_admin_settles_a_conflict_by_confirming_one_candidate(setup):
    admin = client_for(DELEGATED_ID)
    response = admin.post(f"{M}confirm/", {"member_id": str(MIKA_ID), "cust_id": "104077"})
    assert response.status_code == 302 and response["Location"] == f"{M}#proposals"
    assert links() == {MIKA_ID: (104077, False)}  # linked, pending: a confirmation is never proof
    page = admin.get(M).content.decode()
    assert "Linked to Mika Lefèvre (104077), not verified yet" in page
    assert "matches 2 iRacing drivers" not in page
    assert 'Mika Lefèvre <code>104077</code> <span class="badge">pending</span>' in page

    # The shared account: confirming it for one twin closes the other twin's proposal.
    admin.post(f"{M}confirm/", {"member_id": str(TWIN_B_ID)})
    assert links()[TWIN_B_ID] == (100108, False)
    assert "proposed for 2 members" not in admin.get(M).content.decode()
    assert open_proposals() == sorted([DEMO_MEMBER_ID, OTHER_MEMBER_ID, 310000000000000017])


def test_a_member_decides_only_their_own_proposal(setup):
    member = client_for(DEMO_MEMBER_ID)
    page = member.get(M).content.decode()
    assert "Sync members now" not in page
    assert page.count(f'name="member_id" value="{DEMO_MEMBER_ID}"') == 2  # their own Confirm and Reject only
    assert 'name="member_id" value="' not in page.replace(f'value="{DEMO_MEMBER_ID}"', "")

    before = open_proposals()
    assert member.post(f"{M}confirm/", {"member_id": str(OTHER_MEMBER_ID)}).status_code == 403
    assert member.post(f"{M}reject/", {"member_id": str(OTHER_MEMBER_ID)}).status_code == 403
    assert member.post(f"{M}confirm/", {"member_id": str(MIKA_ID), "cust_id": "104077"}).status_code == 403
    assert (open_proposals(), links()) == (before, {})

    assert member.post(f"{M}confirm/", {"member_id": str(DEMO_MEMBER_ID)}).status_code == 302
    assert links() == {DEMO_MEMBER_ID: (100080, False)}
    assert 'Ana Chen <code>100080</code> <span class="badge">pending</span>' in member.get(M).content.decode()


def test_a_refused_decision_says_why_and_changes_nothing(setup):
    admin = client_for(MANAGER_ID)
    before = open_proposals()
    page = admin.post(f"{M}confirm/", {"member_id": str(MIKA_ID), "cust_id": "999"}, follow=True).content.decode()
    assert "iRacing account 999 is not among the proposed ones. Nothing was changed." in page
    page = admin.post(f"{M}confirm/", {"member_id": "１２"}, follow=True).content.decode()
    assert "A Discord id is made of the digits 0–9 only" in page
    assert (open_proposals(), links()) == (before, {})


def test_sync_now_queues_the_member_sync_for_the_bot_and_shows_its_status(setup):
    admin = client_for(DELEGATED_ID)
    page = admin.post(f"{M}sync/", follow=True).content.decode()
    assert "Member sync queued" in page
    assert "Member sync asked" in page and "<strong>Queued</strong>" in page
    intent = DiscordIntent.objects.get()
    assert (intent.kind, intent.club_id) == (IntentKind.MEMBER_SYNC, setup.club.pk)
    assert client_for(DEMO_MEMBER_ID).post(f"{M}sync/").status_code == 403
    assert DiscordIntent.objects.count() == 1


def test_the_member_list_is_paged(setup, settings):
    from simlane.clubs.models import ClubMember

    ClubMember.objects.bulk_create(
        ClubMember(club=setup.club, discord_user_id=400 + n, display_name=f"zz{n:03}") for n in range(120)
    )
    admin = client_for(MANAGER_ID)
    first = admin.get(M).content.decode()
    assert "Members (127)" in first and "Page 1 of 2" in first and first.count('data-testid="member"') == 100
    second = admin.get(f"{M}?page=2").content.decode()
    assert second.count('data-testid="member"') == 27 and "zz119" in second
    assert admin.get(f"{M}?page=x").status_code == 200


def test_the_members_page_stays_within_its_query_budget(setup, django_assert_max_num_queries):
    admin = client_for(MANAGER_ID)
    admin.get(M)  # Discord's server list is fetched once and cached, as in real use
    with django_assert_max_num_queries(15):
        assert admin.get(M).status_code == 200
