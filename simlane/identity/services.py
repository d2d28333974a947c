"""Writes of the identity domain: record a proven iRacing account, verify car-number links, Linked Roles.

The flow: the member signs in with iRacing (``views``), ``iracing_account_verify`` stores the proof and calls
``on_identity_verified``, which verifies that member's car-number links to the same account on every server
through racenumbers' one verification service. Linked Roles: ``role_connection_grant_store`` keeps the member's
``role_connections.write`` token (encrypted) and ``role_connection_push`` sends their values to Discord;
``role_connection_refresh`` is what code that sees a new iRating calls.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from simlane.clubs import discord_oauth
from simlane.clubs.crypto import decrypt, encrypt
from simlane.clubs.discord_oauth import DiscordOAuthError, DiscordTokenExpired
from simlane.core.errors import ApplicationError
from simlane.events.ownership import owned_content_record
from simlane.racenumbers import services as racenumbers_services
from simlane.racenumbers.models import MemberLink

from . import discord_roles, selectors
from .models import RoleConnectionGrant, VerificationMethod, VerifiedIRacingAccount

log = logging.getLogger(__name__)


class IdentityError(ApplicationError):
    """An identity request that cannot be done as asked; nothing was changed."""


@dataclass(frozen=True)
class LinkOutcome:
    """What the proof did to the member's car-number link on one server."""

    guild_id: int
    verified: bool
    message: str


def license_class(license_level: int | None) -> int | None:
    """iRacing's licence level (1–4 Rookie, 5–8 D, 9–12 C, 13–16 B, 17–20 A, above: Pro) as a class 1–6."""
    if license_level is None or license_level <= 0:
        return None
    return min(6, (license_level - 1) // 4 + 1)


def role_metadata(account: VerifiedIRacingAccount) -> dict[str, str]:
    """The Linked Roles values of a verified account; Discord takes them as strings, unknown ones are left out."""
    values = {"verified_driver": "1"}
    if account.irating is not None:
        values["irating"] = str(account.irating)
    if (klass := license_class(account.license_level)) is not None:
        values["license_class"] = str(klass)
    if account.safety_rating is not None:
        values["safety_rating"] = str(account.safety_rating)
    return values


def on_identity_verified(*, discord_user_id: int, cust_id: int) -> list[LinkOutcome]:
    """Make the member's car-number links to ``cust_id`` verified, on every server where they have one.

    Goes through ``racenumbers.services.member_link_verify`` (the one way a link becomes verified), so its rules
    hold here too: one verified link per account and server, someone else's pending link to the same account stays
    pending. Links to another account and other members' links are not touched.
    """
    outcomes = []
    for link in MemberLink.objects.filter(discord_user_id=discord_user_id, cust_id=cust_id).order_by("guild_id"):
        if link.verified:
            outcomes.append(LinkOutcome(link.guild_id, True, "already verified"))
            continue
        try:
            racenumbers_services.member_link_verify(
                guild_id=link.guild_id,
                user_id=discord_user_id,
                cust_id=cust_id,
                method=VerificationMethod.IRACING_OAUTH.value,
                actor_id=None,
            )
        except ApplicationError as exc:
            outcomes.append(LinkOutcome(link.guild_id, False, exc.message))
            continue
        outcomes.append(LinkOutcome(link.guild_id, True, "verified now"))
    return outcomes


def iracing_account_verify(
    *, user: AbstractBaseUser, cust_id: int, iracing_name: str, member_info: dict[str, Any] | None = None
) -> tuple[VerifiedIRacingAccount, list[LinkOutcome]]:
    """Record that ``user`` proved control of ``cust_id`` by signing in with iRacing, then verify their links.

    An iRacing account has one verified Discord user: whoever proves it last holds it (they demonstrably control
    it now), and a user who proves another account moves to it. ``member_info`` (read with the sign-in's token)
    says what the account owns, for the warnings at event signup; without it, what was known of the same account
    is kept and a different account's ownership is unknown.
    """
    discord_user_id = selectors.discord_user_id(user=user)
    if discord_user_id is None:
        raise IdentityError("Log in with Discord first: the proof ties your iRacing account to your Discord account.")
    with transaction.atomic():
        VerifiedIRacingAccount.objects.filter(cust_id=cust_id).exclude(user_id=user.pk).delete()
        VerifiedIRacingAccount.objects.filter(discord_user_id=discord_user_id).exclude(user_id=user.pk).delete()
        previous = selectors.verified_account(user=user)
        same = previous is not None and previous.cust_id == cust_id
        account, _ = VerifiedIRacingAccount.objects.update_or_create(
            user_id=user.pk,
            defaults={
                "discord_user_id": discord_user_id,
                "cust_id": cust_id,
                "iracing_name": iracing_name[:200],
                "method": VerificationMethod.IRACING_OAUTH,
                "verified_at": timezone.now(),
                "irating": previous.irating if same and previous else selectors.latest_irating(cust_id=cust_id),
                "license_level": previous.license_level if same and previous else None,
                "safety_rating": previous.safety_rating if same and previous else None,
                "owned_car_ids": previous.owned_car_ids if same and previous else None,
                "owned_track_ids": previous.owned_track_ids if same and previous else None,
            },
        )
        if member_info is not None:
            owned_content_record(cust_id=cust_id, info=member_info)
            account.refresh_from_db(fields=["owned_car_ids", "owned_track_ids"])
    log.info("user %s verified iRacing account %s", user.pk, cust_id)
    outcomes = on_identity_verified(discord_user_id=discord_user_id, cust_id=cust_id)
    role_connection_push(user_id=int(user.pk))
    return account, outcomes


# -- Linked Roles ---------------------------------------------------------------------------------------------------


def role_connection_grant_store(
    *, user: AbstractBaseUser, grant: discord_oauth.TokenGrant, discord_user_id: int
) -> RoleConnectionGrant:
    """Keep the member's ``role_connections.write`` token, encrypted; it must be the Discord account they log in
    with (another account's roles are not theirs to set)."""
    if discord_user_id != selectors.discord_user_id(user=user):
        raise IdentityError("You authorised a different Discord account than the one you are logged in with.")
    if "role_connections.write" not in grant.scope.split():
        raise IdentityError("Discord did not grant SimLane the permission to update your roles; try again.")
    expires_at = timezone.now() + timedelta(seconds=grant.expires_in) if grant.expires_in else None
    with transaction.atomic():
        RoleConnectionGrant.objects.filter(discord_user_id=discord_user_id).exclude(user_id=user.pk).delete()
        stored, _ = RoleConnectionGrant.objects.update_or_create(
            user_id=user.pk,
            defaults={
                "discord_user_id": discord_user_id,
                "access_token": encrypt(grant.access_token),
                "refresh_token": encrypt(grant.refresh_token),
                "expires_at": expires_at,
                "last_error": "",
            },
        )
    return stored


def _fresh_token(grant: RoleConnectionGrant, now: datetime) -> str:
    access = decrypt(grant.access_token)
    if access and (grant.expires_at is None or grant.expires_at > now):
        return access
    refresh_token = decrypt(grant.refresh_token)
    if not refresh_token:
        raise DiscordTokenExpired("Your Discord authorization for roles has expired; link roles again.")
    renewed = discord_oauth.refresh(refresh_token)
    grant.access_token = encrypt(renewed.access_token)
    grant.refresh_token = encrypt(renewed.refresh_token or refresh_token)
    grant.expires_at = now + timedelta(seconds=renewed.expires_in) if renewed.expires_in else None
    grant.save(update_fields=["access_token", "refresh_token", "expires_at", "updated_at"])
    return renewed.access_token


def role_connection_push(*, user_id: int) -> bool:
    """Send the member's Linked Roles values to Discord; False (and the reason kept) when it could not be done.

    No grant or no verified account: nothing to send. A refused token is refreshed once; a failure is recorded on
    the grant for the account page and left for the next refresh, never retried in a loop.
    """
    grant = selectors.role_connection_grant(user_id=user_id)
    account = VerifiedIRacingAccount.objects.filter(user_id=user_id).first()
    if grant is None or account is None:
        return False
    metadata = role_metadata(account)
    now = timezone.now()
    try:
        try:
            discord_roles.connection_put(_fresh_token(grant, now), username=account.iracing_name, metadata=metadata)
        except DiscordTokenExpired:
            grant.expires_at = now  # the stored token was refused: refresh it once
            discord_roles.connection_put(_fresh_token(grant, now), username=account.iracing_name, metadata=metadata)
    except DiscordOAuthError as exc:
        grant.last_error = exc.message[:300]
        grant.save(update_fields=["last_error", "updated_at"])
        log.warning("Linked Roles push for user %s failed: %s", user_id, exc.message)
        return False
    grant.pushed_at, grant.pushed_metadata, grant.last_error = now, metadata, ""
    grant.save(update_fields=["pushed_at", "pushed_metadata", "last_error", "updated_at"])
    return True


def role_connection_refresh(
    *, cust_id: int, irating: int | None = None, license_level: int | None = None, safety_rating: int | None = None
) -> bool:
    """SimLane saw new ratings of ``cust_id`` (a race result, a roster): keep them and update Discord if they
    changed. Returns whether Discord was sent new values; an account nobody verified is ignored."""
    account = selectors.verified_account_for_cust(cust_id=cust_id)
    if account is None:
        return False
    changes = {
        name: value
        for name, value in (("irating", irating), ("license_level", license_level), ("safety_rating", safety_rating))
        if value is not None and getattr(account, name) != value
    }
    if not changes:
        return False
    VerifiedIRacingAccount.objects.filter(pk=account.pk).update(**changes, updated_at=timezone.now())
    return role_connection_push(user_id=account.user_id)


@dataclass(frozen=True)
class SeenRatings:
    """A driver's ratings after a race, as the result shows them (safety rating × 100)."""

    cust_id: int
    irating: int | None
    license_level: int | None
    safety_rating: int | None


def ratings_seen(*, ratings: list[SeenRatings]) -> int:
    """Ratings SimLane saw in a race result: refresh the Linked Roles of the verified drivers among them (one query
    finds them; everyone else costs nothing). Returns how many role connections were sent new values."""
    by_cust = {r.cust_id: r for r in ratings}
    verified = VerifiedIRacingAccount.objects.filter(cust_id__in=by_cust).values_list("cust_id", flat=True)
    sent = 0
    for cust_id in verified:
        seen = by_cust[cust_id]
        sent += role_connection_refresh(
            cust_id=cust_id, irating=seen.irating, license_level=seen.license_level, safety_rating=seen.safety_rating
        )
    return sent


def role_metadata_register(*, bot_token: str) -> list[dict[str, Any]]:
    """Register SimLane's Linked Roles metadata with Discord (replacing what was there)."""
    if not bot_token:
        raise IdentityError("Set DISCORD_TOKEN (the bot's token): Discord takes the metadata from the application.")
    return discord_roles.metadata_register(bot_token)
