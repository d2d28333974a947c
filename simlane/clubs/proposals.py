"""Writes for iRacing proposals: storing what the matcher found, confirming and rejecting.

Who may decide is checked here, for every caller (bot, dashboard, API): a member decides only their own proposal
and only when nobody else is proposed the same account; an admin decides any. Confirming creates an *unverified*
car-number link through the car-numbers service: a proposal is never proof.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from simlane.core.errors import ApplicationError
from simlane.racenumbers import services as racenumbers
from simlane.racenumbers.models import MemberLink

from .matching import Outcome
from .models import Club, ClubMember, MemberProposal, ProposalStatus


class ProposalError(ApplicationError):
    """A proposal could not be confirmed or rejected; nothing was changed.

    ``forbidden`` marks a refusal of *who* asked (not an admin, not their own proposal), which the web answers with
    403; other refusals are about the proposal itself.
    """

    def __init__(self, message: str, *, forbidden: bool = False) -> None:
        super().__init__(message)
        self.forbidden = forbidden


@dataclass(frozen=True)
class StoreCounts:
    created: int = 0
    kept: int = 0
    closed: int = 0


def _candidates(outcome: Outcome) -> list[dict[str, object]]:
    return [{"cust_id": c.cust_id, "display_name": c.display_name, "source": c.source} for c in outcome.candidates]


@transaction.atomic
def proposals_store(*, club: Club, outcomes: dict[int, tuple[str, Outcome]]) -> StoreCounts:
    """Record the matcher's outcome per member id (nickname read, outcome); the same outcome twice changes nothing.

    An open proposal whose member now matches something else (or nothing) is superseded. A proposal the member or
    an admin rejected is not made again for the same nickname and account.
    """
    open_by_member = {
        p.member_id: p for p in MemberProposal.objects.select_for_update().filter(club=club, status=ProposalStatus.OPEN)
    }
    rejected = set(
        MemberProposal.objects.filter(club=club, status=ProposalStatus.REJECTED).values_list(
            "member_id", "nickname", "cust_id"
        )
    )
    created = kept = closed = 0
    for member_id, (nickname, outcome) in outcomes.items():
        wanted = _candidates(outcome)
        single = outcome.proposal.cust_id if outcome.proposal else None
        if single is not None and (member_id, nickname[:100], single) in rejected:
            wanted = []
        current = open_by_member.get(member_id)
        if current is not None and current.candidates == wanted and current.nickname == nickname[:100]:
            kept += 1
            continue
        if current is not None:
            current.status = ProposalStatus.SUPERSEDED
            current.save(update_fields=["status", "updated_at"])
            closed += 1
        if wanted:
            MemberProposal.objects.create(
                club=club, member_id=member_id, nickname=nickname[:100], candidates=wanted, cust_id=single
            )
            created += 1
    return StoreCounts(created=created, kept=kept, closed=closed)


def _open_proposal(club: Club, member_discord_id: int) -> MemberProposal:
    proposal = (
        MemberProposal.objects.select_for_update()
        .select_related("member")
        .filter(club=club, member__discord_user_id=member_discord_id, status=ProposalStatus.OPEN)
        .first()
    )
    if proposal is None:
        raise ProposalError("There is no open iRacing proposal for that member. Nothing was changed.")
    return proposal


def _authorise(proposal: MemberProposal, *, actor_discord_id: int, actor_is_admin: bool) -> None:
    if actor_is_admin:
        return
    if proposal.member.discord_user_id != actor_discord_id:
        raise ProposalError(
            "Only an admin can decide another member's iRacing proposal. Nothing was changed.", forbidden=True
        )


def _shared_account(club: Club, proposal: MemberProposal, cust_id: int) -> bool:
    """Whether another open proposal names the same account (then only an admin may decide)."""
    counts: Counter[int] = Counter()
    for candidates in (
        MemberProposal.objects.filter(club=club, status=ProposalStatus.OPEN)
        .exclude(pk=proposal.pk)
        .values_list("candidates", flat=True)
    ):
        counts.update({int(c["cust_id"]) for c in candidates})
    return counts[cust_id] > 0


@transaction.atomic
def proposal_confirm(
    *, club: Club, member_discord_id: int, actor_discord_id: int, actor_is_admin: bool, cust_id: int | None = None
) -> MemberLink:
    """Confirm a member's proposal (``cust_id`` picks one of several candidates): an unverified link is made."""
    proposal = _open_proposal(club, member_discord_id)
    _authorise(proposal, actor_discord_id=actor_discord_id, actor_is_admin=actor_is_admin)
    member: ClubMember = proposal.member
    if not member.active:
        raise ProposalError(
            "That member has left the server; their proposal can only be rejected. Nothing was changed."
        )
    by_id = {int(c["cust_id"]): c for c in proposal.candidates}
    chosen = cust_id if cust_id is not None else proposal.cust_id
    if chosen is None:
        raise ProposalError(
            f"The nickname matches {len(by_id)} iRacing drivers: give the customer id of the right one. "
            "Nothing was changed."
        )
    if chosen not in by_id:
        raise ProposalError(f"iRacing account {chosen} is not among the proposed ones. Nothing was changed.")
    if not actor_is_admin and _shared_account(club, proposal, chosen):
        raise ProposalError(
            f"iRacing account {chosen} is also proposed for another member: an admin has to decide. "
            "Nothing was changed.",
            forbidden=True,
        )
    try:
        link = racenumbers.member_link(
            guild_id=club.guild_id,
            user_id=member.discord_user_id,
            cust_id=chosen,
            iracing_name=str(by_id[chosen]["display_name"]),
        )
    except racenumbers.NumbersError as exc:
        raise ProposalError(f"{exc.message} Nothing was changed.") from None
    proposal.status, proposal.cust_id = ProposalStatus.CONFIRMED, chosen
    proposal.decided_by, proposal.decided_at = actor_discord_id, timezone.now()
    proposal.save(update_fields=["status", "cust_id", "decided_by", "decided_at", "updated_at"])
    if actor_is_admin:
        # The account is settled for this server: other members' open proposals for it are no longer open.
        for other in MemberProposal.objects.filter(club=club, status=ProposalStatus.OPEN):
            if any(int(c["cust_id"]) == chosen for c in other.candidates):
                other.status = ProposalStatus.SUPERSEDED
                other.save(update_fields=["status", "updated_at"])
    return link


@transaction.atomic
def proposal_reject(
    *, club: Club, member_discord_id: int, actor_discord_id: int, actor_is_admin: bool
) -> MemberProposal:
    """Reject a member's open proposal; the same nickname will not propose the same account again."""
    proposal = _open_proposal(club, member_discord_id)
    _authorise(proposal, actor_discord_id=actor_discord_id, actor_is_admin=actor_is_admin)
    proposal.status = ProposalStatus.REJECTED
    proposal.decided_by, proposal.decided_at = actor_discord_id, timezone.now()
    proposal.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    return proposal
