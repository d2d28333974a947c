"""Reconciling claims with the iRacing league roster (league/roster, ``car_number`` per member).

iRacing has no write API, so the outcome is a report of what an admin should change in iRacing, plus statuses on
the claims. The sync never verifies a link: the roster is public (the report itself prints it), so a member can
claim the number it shows for someone else's account and link that account. A pending link whose account the roster
shows with the claimed number is reported as a hint for an admin to `/verify`; only a verified link counts as
synced.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction

from .models import AuditAction, ClaimStatus, MemberLink, NumberClaim, NumberConfig
from .numbers import number_key
from .services import audit


@dataclass(frozen=True)
class RosterEntry:
    cust_id: int
    display_name: str
    car_number: str | None


@dataclass
class SyncReport:
    synced: list[dict[str, Any]] = field(default_factory=list)
    mismatch: list[dict[str, Any]] = field(default_factory=list)  # claimed X, iRacing has Y
    to_assign: list[dict[str, Any]] = field(default_factory=list)  # in the roster without a number
    not_in_roster: list[dict[str, Any]] = field(default_factory=list)
    unclaimed: list[dict[str, Any]] = field(default_factory=list)  # numbers in iRacing nobody claimed here
    to_verify: list[dict[str, Any]] = field(default_factory=list)  # pending link matching the roster: a hint only

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def synced_pools(config: NumberConfig) -> list[str]:
    """The pools whose claims the league roster reconciles: the one pool, or the pools an admin chose."""
    return list(config.sync_pools) if config.pools else [""]


def sync_problem(config: NumberConfig) -> str | None:
    """Why a sync can't run with this configuration (checked before asking iRacing), or None."""
    if not config.league_id:
        return "No iRacing league is set for this server: an admin can set it with `/setup league_id:`."
    if config.pools and not config.sync_pools:
        return (
            f"This server has pools ({', '.join(config.pools)}) and none is chosen for the league roster, so no "
            "claim would be compared: choose with `/setup sync_pools:` (e.g. `GT3` or `GT3, GTP`). Nothing was changed."
        )
    return None


def _key(number: str, config: NumberConfig) -> str:
    return number_key(number, leading_zeros_distinct=config.leading_zeros_distinct)


@transaction.atomic
def roster_reconcile(
    *, config: NumberConfig, roster: list[RosterEntry], actor_id: int | None, now: datetime
) -> SyncReport:
    """Compare the sync pool's claims with the roster, update statuses, store and audit the report."""
    guild_id = config.guild_id
    report = SyncReport()
    by_cust = {e.cust_id: e for e in roster}
    links = {link.discord_user_id: link for link in MemberLink.objects.filter(guild_id=guild_id)}
    claims = list(
        NumberClaim.objects.select_for_update().filter(guild_id=guild_id, pool__in=synced_pools(config), active=True)
    )
    claimed_keys = {c.number_key for c in claims}
    for claim in claims:
        link = links.get(claim.discord_user_id)
        entry = by_cust.get(link.cust_id) if link else None
        row = {"user_id": claim.discord_user_id, "number": claim.number}
        if entry is None:
            status, iracing_number = ClaimStatus.NOT_IN_ROSTER, ""
            report.not_in_roster.append({**row, "linked": link is not None})
        elif not entry.car_number:
            status, iracing_number = ClaimStatus.CLAIMED, ""
            report.to_assign.append({**row, "cust_id": entry.cust_id, "iracing_name": entry.display_name})
        elif _key(entry.car_number, config) == claim.number_key and link is not None and link.verified:
            status, iracing_number = ClaimStatus.SYNCED, entry.car_number
            report.synced.append(row)
        elif _key(entry.car_number, config) == claim.number_key:
            status, iracing_number = ClaimStatus.CLAIMED, ""
            report.to_verify.append({**row, "cust_id": entry.cust_id, "iracing_name": entry.display_name})
        else:
            status, iracing_number = ClaimStatus.MISMATCH, entry.car_number
            report.mismatch.append(
                {
                    **row,
                    "iracing_number": entry.car_number,
                    "cust_id": entry.cust_id,
                    "iracing_name": entry.display_name,
                }
            )
        if (claim.status, claim.iracing_number) != (status, iracing_number):
            audit(
                guild_id=guild_id,
                actor_id=actor_id,
                action=AuditAction.STATUS,
                pool=claim.pool,
                number=claim.number,
                subject_id=claim.discord_user_id,
                details=f"{claim.status} → {status}",
            )
            claim.status, claim.iracing_number = status, iracing_number
            claim.save(update_fields=["status", "iracing_number", "updated_at"])
    linked_users = {link.cust_id: uid for uid, link in links.items() if link.verified}
    for entry in roster:
        if entry.car_number and _key(entry.car_number, config) not in claimed_keys:
            report.unclaimed.append(
                {
                    "cust_id": entry.cust_id,
                    "iracing_name": entry.display_name,
                    "number": entry.car_number,
                    "user_id": linked_users.get(entry.cust_id),
                }
            )
    config.last_sync_at, config.last_sync_report = now, report.as_dict()
    config.save(update_fields=["last_sync_at", "last_sync_report", "updated_at"])
    audit(
        guild_id=guild_id,
        actor_id=actor_id,
        action=AuditAction.SYNC,
        details=f"{len(report.synced)} synced, {len(report.mismatch)} mismatched, {len(report.to_assign)} to assign, "
        f"{len(report.not_in_roster)} not in roster, {len(report.unclaimed)} unclaimed, "
        f"{len(report.to_verify)} to verify",
    )
    return report
