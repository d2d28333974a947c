"""Reads of the identity domain: a user's proof, their car-number links, what SimLane last saw of an account."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser

from simlane.clubs.models import Club, DiscordCredential
from simlane.iracing.models import Participant
from simlane.racenumbers.models import MemberLink

from .models import RoleConnectionGrant, VerifiedIRacingAccount


@dataclass(frozen=True)
class LinkRow:
    """A car-number link of the user on one server, as the "your account" page shows it."""

    guild_id: int
    server: str
    cust_id: int
    iracing_name: str
    verified: bool
    matches_proof: bool


def verified_account(*, user: AbstractBaseUser) -> VerifiedIRacingAccount | None:
    return VerifiedIRacingAccount.objects.filter(user_id=user.pk).first()


def verified_account_for_cust(*, cust_id: int) -> VerifiedIRacingAccount | None:
    return VerifiedIRacingAccount.objects.filter(cust_id=cust_id).first()


def discord_user_id(*, user: AbstractBaseUser) -> int | None:
    """The Discord account the site user logged in with."""
    return DiscordCredential.objects.filter(user_id=user.pk).values_list("discord_user_id", flat=True).first()


def role_connection_grant(*, user_id: int) -> RoleConnectionGrant | None:
    return RoleConnectionGrant.objects.filter(user_id=user_id).first()


def car_number_links(*, discord_user_id: int, cust_id: int | None) -> list[LinkRow]:
    """The user's car-number links on every server, with the server's name where SimLane knows it."""
    links = list(MemberLink.objects.filter(discord_user_id=discord_user_id).order_by("guild_id"))
    names = dict(Club.objects.filter(guild_id__in=[link.guild_id for link in links]).values_list("guild_id", "name"))
    return [
        LinkRow(
            guild_id=link.guild_id,
            server=names.get(link.guild_id, f"server {link.guild_id}"),
            cust_id=link.cust_id,
            iracing_name=link.iracing_name,
            verified=link.verified,
            matches_proof=cust_id is not None and link.cust_id == cust_id,
        )
        for link in links
    ]


def latest_irating(*, cust_id: int) -> int | None:
    """The newest iRating in the race results SimLane stored (None if it saw no race of this driver)."""
    value = (
        Participant.objects.filter(cust_id=cust_id, newi_rating__gt=0)
        .order_by("-subsession__end_time")
        .values_list("newi_rating", flat=True)
        .first()
    )
    return int(value) if value is not None else None
