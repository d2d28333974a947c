"""Reads of the clubs domain."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from simlane.racenumbers.models import MemberLink, NumberConfig

from .models import (
    Club,
    ClubDiscordSettings,
    ClubMember,
    DiscordCredential,
    DiscordMemberSync,
    MemberProposal,
    ProposalStatus,
    SyncKind,
)


def clubs_by_guild(guild_ids: Iterable[int]) -> dict[int, Club]:
    """The clubs of these servers, active or not, by server id."""
    return {club.guild_id: club for club in Club.objects.filter(guild_id__in=list(guild_ids))}


def club_for_guild(guild_id: int) -> Club | None:
    return Club.objects.filter(guild_id=guild_id).first()


def discord_settings_get(club: Club) -> ClubDiscordSettings:
    """The club's Discord settings; the defaults (unsaved) until an admin first changes them."""
    return ClubDiscordSettings.objects.filter(club=club).first() or ClubDiscordSettings(club=club)


def discord_user_id_of(*, user_id: int) -> int | None:
    """The Discord account a site user logged in with."""
    return DiscordCredential.objects.filter(user_id=user_id).values_list("discord_user_id", flat=True).first()


def club_member(*, club: Club, discord_user_id: int) -> ClubMember | None:
    """The club's row for this Discord user, kept current by the bot's member sync."""
    return ClubMember.objects.filter(club=club, discord_user_id=discord_user_id).first()


def clubs_of_member(*, user_id: int) -> list[Club]:
    """Active clubs where the site user's Discord account has a member row, by name."""
    discord_user_id = discord_user_id_of(user_id=user_id)
    if discord_user_id is None:
        return []
    return list(Club.objects.filter(active=True, members__discord_user_id=discord_user_id).order_by("name"))


# -- member sync and iRacing proposals (the dashboard's members page reads these) ------------------------------


def member_sync_latest(club: Club) -> DiscordMemberSync | None:
    """The club's most recent full member sync (failed ones included: ``error`` says why), or None."""
    return DiscordMemberSync.objects.filter(club=club, kind=SyncKind.FULL).first()


def member_sync_history(club: Club, *, limit: int = 20) -> list[DiscordMemberSync]:
    """Full syncs and days of live updates, newest first."""
    return list(DiscordMemberSync.objects.filter(club=club)[:limit])


def club_members(club: Club, *, active: bool = True) -> list[ClubMember]:
    return list(ClubMember.objects.filter(club=club, active=active).order_by("display_name", "discord_user_id"))


def members_to_match(club: Club) -> list[ClubMember]:
    """Active members with no car-number link to an iRacing account in this server yet."""
    linked = MemberLink.objects.filter(guild_id=club.guild_id).values_list("discord_user_id", flat=True)
    return list(
        ClubMember.objects.filter(club=club, active=True)
        .exclude(discord_user_id__in=linked)
        .order_by("discord_user_id")
    )


def linked_accounts(club: Club) -> set[int]:
    """iRacing accounts already linked to a member of this server (confirmed or verified)."""
    return set(MemberLink.objects.filter(guild_id=club.guild_id).values_list("cust_id", flat=True))


def club_league_id(club: Club) -> int | None:
    """The iRacing league the server set for its car numbers, whose roster the matcher reads first."""
    return NumberConfig.objects.filter(guild_id=club.guild_id).values_list("league_id", flat=True).first()


def _open(club: Club) -> list[MemberProposal]:
    return list(
        MemberProposal.objects.filter(club=club, status=ProposalStatus.OPEN)
        .select_related("member")
        .order_by("member__display_name", "member__discord_user_id")
    )


@dataclass(frozen=True)
class Conflict:
    """Something the matcher would have to guess, listed for an admin instead."""

    kind: str  # "same_account", "several_drivers" or "member_left"
    proposals: tuple[MemberProposal, ...]
    cust_id: int | None = None

    @property
    def description(self) -> str:
        if self.kind == "same_account":
            return f"iRacing account {self.cust_id} is proposed for {len(self.proposals)} members"
        if self.kind == "several_drivers":
            return f"the nickname matches {len(self.proposals[0].candidates)} iRacing drivers"
        return "the member left the server"


def _shared_accounts(proposals: list[MemberProposal]) -> dict[int, list[MemberProposal]]:
    by_account: dict[int, list[MemberProposal]] = defaultdict(list)
    for p in proposals:
        if p.member.active and p.cust_id is not None:
            by_account[p.cust_id].append(p)
    return {cust: ps for cust, ps in by_account.items() if len(ps) > 1}


def member_proposals(club: Club) -> list[MemberProposal]:
    """Open proposals of one account for one active member that nobody else is proposed: ready to confirm."""
    proposals = _open(club)
    shared = {p.pk for ps in _shared_accounts(proposals).values() for p in ps}
    return [p for p in proposals if p.member.active and p.cust_id is not None and p.pk not in shared]


def member_conflicts(club: Club) -> list[Conflict]:
    """Every open conflict: one account proposed for several members, a nickname matching several drivers, a
    member who left with a proposal still open."""
    proposals = _open(club)
    conflicts = [Conflict("same_account", tuple(ps), cust) for cust, ps in sorted(_shared_accounts(proposals).items())]
    conflicts += [Conflict("several_drivers", (p,)) for p in proposals if p.member.active and p.cust_id is None]
    conflicts += [Conflict("member_left", (p,), p.cust_id) for p in proposals if not p.member.active]
    return conflicts


def member_proposal_of(club: Club, discord_user_id: int) -> MemberProposal | None:
    """A member's open proposal, if any (for ``/members me``)."""
    return (
        MemberProposal.objects.filter(club=club, member__discord_user_id=discord_user_id, status=ProposalStatus.OPEN)
        .select_related("member")
        .first()
    )


@dataclass(frozen=True)
class MemberRow:
    """One member on the members page, with their car-number link to an iRacing account in this server."""

    member: ClubMember
    link: MemberLink | None

    @property
    def link_state(self) -> str:
        """``none``, ``pending`` (confirmed or claimed, not proven) or ``verified``."""
        if self.link is None:
            return "none"
        return "verified" if self.link.verified else "pending"


def member_rows(club: Club, *, offset: int = 0, limit: int = 100) -> tuple[list[MemberRow], int]:
    """A page of the club's active members by name, each with their link, and how many active members there are."""
    members = ClubMember.objects.filter(club=club, active=True)
    total = members.count()
    page = list(members.order_by("display_name", "discord_user_id")[offset : offset + limit])
    links = {
        link.discord_user_id: link
        for link in MemberLink.objects.filter(
            guild_id=club.guild_id, discord_user_id__in=[m.discord_user_id for m in page]
        )
    }
    return [MemberRow(m, links.get(m.discord_user_id)) for m in page], total
