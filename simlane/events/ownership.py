"""Warnings at signup when a member's verified iRacing account does not own the event's car or track.

What an account owns is read from ``member/info`` (``car_packages`` / ``track_packages``, each listing the
``content_ids`` it unlocks). ``member/info`` only ever describes the account whose token asks, so SimLane learns it
with the member's own token: the iRacing sign-in asks for ``iracing.auth``, reads ``member/info`` once with that
token (``iracing.client.authcode.sign_in``), and ``identity.services.iracing_account_verify`` stores it here through
``owned_content_record`` on their ``VerifiedIRacingAccount``. What the member buys later is learnt when they sign
in again. Where iRacing did not grant ``iracing.auth`` or the read failed, nothing is known (null) and nothing is
warned. Only verified accounts count: a pending link is anyone's claim.
"""

from __future__ import annotations

from typing import Any

from simlane.identity.models import VerifiedIRacingAccount
from simlane.iracing.models import Car, Track


def owned_from_member_info(info: dict[str, Any]) -> tuple[list[int], list[int]]:
    """(car ids, track ids) the account owns, from a ``member/info`` payload."""

    def ids(key: str) -> list[int]:
        return sorted({int(c) for p in info.get(key) or [] for c in p.get("content_ids") or []})

    return ids("car_packages"), ids("track_packages")


def owned_content_record(*, cust_id: int, info: dict[str, Any]) -> bool:
    """Store what the verified account ``cust_id`` owns; False if no such verified account."""
    cars, tracks = owned_from_member_info(info)
    return VerifiedIRacingAccount.objects.filter(cust_id=cust_id).update(owned_car_ids=cars, owned_track_ids=tracks) > 0


def ownership_warnings(*, discord_user_id: int, car_id: int | None, track_id: int | None) -> list[str]:
    """What the member is missing for this event, in their words (empty when all is owned or nothing is known)."""
    account = VerifiedIRacingAccount.objects.filter(discord_user_id=discord_user_id).first()
    if account is None:
        return []
    warnings = []
    if car_id is not None and account.owned_car_ids is not None and car_id not in account.owned_car_ids:
        car = Car.objects.filter(car_id=car_id).values_list("name", flat=True).first() or f"car {car_id}"
        warnings.append(f"Heads-up: your iRacing account does not own the {car}.")
    if track_id is not None and account.owned_track_ids is not None and track_id not in account.owned_track_ids:
        track = Track.objects.filter(track_id=track_id).first()
        warnings.append(f"Heads-up: your iRacing account does not own {track or f'track {track_id}'}.")
    return warnings
