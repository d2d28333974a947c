"""Your iRacing account: Sign in with iRacing (authorization code + PKCE), and the Linked Roles consent.

Thin views over ``services``; every refusal (a denied consent, a tampered or replayed state, a spent code, iRacing
down) renders a page that says what happened, and changes nothing.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from simlane.clubs import discord_oauth
from simlane.clubs.discord_oauth import DiscordOAuthError
from simlane.clubs.permissions import login_required
from simlane.iracing.client import AuthError, IRacingError, MaintenanceError
from simlane.iracing.client.authcode import authorize_url, pkce_new

from . import discord_roles, iracing_signin, selectors, services
from .oauth_state import StateRefused, state_consume, state_issue

log = logging.getLogger(__name__)

IRACING = "iracing"
LINKED_ROLES = "linked_roles"


def _problem(request: HttpRequest, title: str, detail: str, status: int) -> HttpResponse:
    return render(request, "identity/problem.html", {"title": title, "detail": detail}, status=status)


def _user_id(request: HttpRequest) -> int:
    return int(str(request.user.pk))


def _iracing_redirect_uri(request: HttpRequest) -> str:
    return settings.IRACING_OAUTH_REDIRECT_URI or request.build_absolute_uri(reverse("identity:iracing_callback"))


@require_GET
@login_required
def account(request: HttpRequest) -> HttpResponse:
    """Your verified iRacing account, your car-number links, and Linked Roles."""
    verified = selectors.verified_account(user=request.user)  # type: ignore[arg-type]
    discord_user_id = selectors.discord_user_id(user=request.user)  # type: ignore[arg-type]
    links = (
        selectors.car_number_links(discord_user_id=discord_user_id, cust_id=verified.cust_id if verified else None)
        if discord_user_id is not None
        else []
    )
    context = {
        "verified": verified,
        "links": links,
        "proven_links": [link for link in links if link.matches_proof],
        "grant": selectors.role_connection_grant(user_id=_user_id(request)),
        "configured": iracing_signin.configured(),
        "metadata": services.role_metadata(verified) if verified else {},
    }
    return render(request, "identity/account.html", context)


@require_POST
@login_required
def iracing_start(request: HttpRequest) -> HttpResponse:
    """Send the member to iRacing's sign-in, with a state and a PKCE verifier kept in this session."""
    if not iracing_signin.configured():
        return _problem(request, "Sign in with iRacing is not set up", "The site has no iRacing OAuth client.", 503)
    pkce = pkce_new()
    redirect_uri = _iracing_redirect_uri(request)
    state = state_issue(request.session, IRACING, verifier=pkce.verifier, redirect_uri=redirect_uri)
    return redirect(authorize_url(iracing_signin.config(redirect_uri), state=state, pkce=pkce))


@require_GET
@login_required
def iracing_callback(request: HttpRequest) -> HttpResponse:
    """iRacing sends the member back here: check the state, exchange the code, store the proof."""
    try:
        pending = state_consume(request.session, IRACING, request.GET.get("state", ""))
    except StateRefused as exc:
        return _problem(request, "This sign-in cannot be used", exc.message, 400)
    if request.GET.get("error"):
        return _problem(
            request, "Nothing was verified", "You did not allow SimLane on iRacing's page, so nothing changed.", 400
        )
    try:
        profile = iracing_signin.complete(
            redirect_uri=pending["redirect_uri"], code=request.GET.get("code", ""), verifier=pending["verifier"]
        )
    except MaintenanceError:
        return _problem(
            request, "iRacing is under maintenance", "Nothing changed. Try again when iRacing is back.", 503
        )
    except AuthError as exc:
        log.info("iRacing refused a sign-in of user %s: %s", request.user.pk, exc.message)
        return _problem(
            request,
            "iRacing refused this sign-in",
            "The sign-in was already used, expired, or did not come from this browser. Nothing changed; start again.",
            400,
        )
    except IRacingError as exc:
        log.warning("iRacing sign-in of user %s failed: %s", request.user.pk, exc.message)
        return _problem(request, "iRacing could not be reached", "Nothing changed. Try again in a moment.", 502)
    try:
        verified, outcomes = services.iracing_account_verify(
            user=request.user,  # type: ignore[arg-type]
            cust_id=profile.cust_id,
            iracing_name=profile.name,
            member_info=profile.member_info,
        )
    except services.IdentityError as exc:
        return _problem(request, "Nothing was verified", exc.message, 400)
    done = sum(1 for o in outcomes if o.verified)
    messages.success(
        request,
        f"Verified: {verified.iracing_name} ({verified.cust_id})."
        + (f" Car-number links verified on {done} server(s)." if done else ""),
    )
    return redirect("identity:account")


@require_GET
@login_required
def linked_roles(request: HttpRequest) -> HttpResponse:
    """The Linked Roles verification URL: Discord sends members here; we ask for ``role_connections.write``."""
    if selectors.verified_account(user=request.user) is None:  # type: ignore[arg-type]
        messages.info(request, "Verify your iRacing account first; then link roles.")
        return redirect("identity:account")
    redirect_uri = request.build_absolute_uri(reverse("identity:linked_roles_callback"))
    state = state_issue(request.session, LINKED_ROLES, redirect_uri=redirect_uri)
    query = urlencode(
        {
            "client_id": settings.DISCORD_CLIENT_ID,
            "response_type": "code",
            "scope": "identify role_connections.write",
            "redirect_uri": redirect_uri,
            "state": state,
            "prompt": "consent",
        }
    )
    return redirect(f"{discord_oauth.authorize_url()}?{query}")


@require_GET
@login_required
def linked_roles_callback(request: HttpRequest) -> HttpResponse:
    """Discord sends the member back: keep the role-connection grant and send their values."""
    try:
        pending = state_consume(request.session, LINKED_ROLES, request.GET.get("state", ""))
    except StateRefused as exc:
        return _problem(request, "This authorisation cannot be used", exc.message, 400)
    if request.GET.get("error"):
        return _problem(request, "Roles not linked", "You cancelled on Discord, so nothing changed.", 400)
    try:
        grant = discord_oauth.exchange_code(request.GET.get("code", ""), pending["redirect_uri"])
        discord_user_id = discord_roles.fetch_me(grant.access_token)
        services.role_connection_grant_store(user=request.user, grant=grant, discord_user_id=discord_user_id)  # type: ignore[arg-type]
    except (DiscordOAuthError, services.IdentityError) as exc:
        return _problem(request, "Roles not linked", exc.message, 400)
    if services.role_connection_push(user_id=_user_id(request)):
        messages.success(request, "Linked Roles: Discord now knows your iRacing driver details.")
    else:
        messages.error(request, "Discord did not take your driver details; SimLane will try again at the next change.")
    return redirect("identity:account")
