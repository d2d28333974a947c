"""A club's members page: the latest member sync, members and their iRacing links, proposals and conflicts.

Any member reads it; admins start a sync (an intent the bot carries out) and decide any proposal; a member decides
only their own. Who may decide a proposal is ``simlane.clubs.proposals``' rule, the one `/members confirm` uses:
the views pass who is asking and map its refusals (403 for who asked, a message for the proposal itself).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from simlane.clubs import selectors
from simlane.clubs.intents.selectors import intent_list
from simlane.clubs.intents.services import intent_enqueue
from simlane.clubs.models import IntentKind
from simlane.clubs.permissions import ClubAccess, club_admin_required, club_member_required
from simlane.clubs.proposals import ProposalError, proposal_confirm, proposal_reject

from .forms import ProposalForm

PER_PAGE = 100


def _back(access: ClubAccess, anchor: str = "") -> HttpResponse:
    return redirect(reverse("web:club_members", args=[access.guild.id]) + (f"#{anchor}" if anchor else ""))


def _page_number(request: HttpRequest) -> int:
    value = request.GET.get("page", "1")
    return max(1, int(value)) if value.isascii() and value.isdigit() and len(value) < 7 else 1


@require_GET
@club_member_required
def members_page(request: HttpRequest, access: ClubAccess) -> HttpResponse:
    club = access.club
    number = _page_number(request)
    rows, total = selectors.member_rows(club, offset=(number - 1) * PER_PAGE, limit=PER_PAGE)
    context = {
        "access": access,
        "club": club,
        "tab": "members",
        "sync": selectors.member_sync_latest(club),
        "sync_intents": intent_list(guild_id=access.guild.id, kind=IntentKind.MEMBER_SYNC, limit=3),
        "rows": rows,
        "total": total,
        "page": number,
        "pages": max(1, -(-total // PER_PAGE)),
        "proposals": selectors.member_proposals(club),
        "conflicts": selectors.member_conflicts(club),
    }
    return render(request, "web/club/members.html", context)


@require_POST
@club_admin_required
def members_sync(request: HttpRequest, access: ClubAccess) -> HttpResponse:
    """Queue a full member sync for the bot (the web process never talks to Discord)."""
    if not access.club.active:
        messages.error(request, "SimLane is not on this server any more: add it again to sync members.")
        return _back(access, "sync")
    intent_enqueue(club=access.club, kind=IntentKind.MEMBER_SYNC, requested_by=request.user, now=timezone.now())  # type: ignore[arg-type]
    messages.success(request, "Member sync queued: the bot reads the server's member list and matches it again.")
    return _back(access, "sync")


def _decide(request: HttpRequest, access: ClubAccess, *, confirm: bool) -> HttpResponse:
    form = ProposalForm(request.POST)
    if not form.is_valid():
        text = " ".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(request, f"{text} Nothing was changed.")
        return _back(access, "proposals")
    member_id, cust_id = int(form.cleaned_data["member_id"]), form.cleaned_data["cust_id"]
    actor, admin = access.discord_user_id, access.is_admin
    try:
        if confirm:
            link = proposal_confirm(
                club=access.club,
                member_discord_id=member_id,
                cust_id=cust_id,
                actor_discord_id=actor,
                actor_is_admin=admin,
            )
            text = (
                f"Linked to {link.iracing_name} ({link.cust_id}), not verified yet: the member verifies it by "
                "signing in with iRacing."
            )
        else:
            proposal_reject(club=access.club, member_discord_id=member_id, actor_discord_id=actor, actor_is_admin=admin)
            text = "Proposal rejected: the same nickname will not propose that account again."
    except ProposalError as exc:
        if exc.forbidden:
            raise PermissionDenied(exc.message) from None
        messages.error(request, exc.message)
        return _back(access, "proposals")
    messages.success(request, text)
    return _back(access, "proposals")


@require_POST
@club_member_required
def proposal_confirm_view(request: HttpRequest, access: ClubAccess) -> HttpResponse:
    """Confirm a proposal (``cust_id`` picks one of several drivers): admins any, a member their own."""
    return _decide(request, access, confirm=True)


@require_POST
@club_member_required
def proposal_reject_view(request: HttpRequest, access: ClubAccess) -> HttpResponse:
    """Reject a proposal: admins any, a member their own."""
    return _decide(request, access, confirm=False)
