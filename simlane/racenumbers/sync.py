"""Reconciling claims with the iRacing league roster (league/roster, ``car_number`` per member).

iRacing has no write API, so the outcome is a report of what an admin should change in iRacing, plus statuses on
the claims. A link becomes verified only with proof: the linked iRacing account is in the league roster holding
the very number the member claimed (only a league admin can set that number in iRacing).
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
    newly_verified: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _key(number: str, config: NumberConfig) -> str:
    return number_key(number, leading_zeros_distinct=config.leading_zeros_distinct)


@transaction.atomic
def roster_reconcile(
    *, config: NumberConfig, roster: list[RosterEntry], actor_id: int | None, now: datetime
) -> SyncReport:
    """Compare the sync pool's claims with the roster, update statuses and links, store and audit the report."""
    guild_id = config.guild_id
    report = SyncReport()
    by_cust = {e.cust_id: e for e in roster}
    links = {link.discord_user_id: link for link in MemberLink.objects.select_for_update().filter(guild_id=guild_id)}
    claims = list(NumberClaim.objects.select_for_update().filter(guild_id=guild_id, pool=config.sync_pool, active=True))
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
        elif _key(entry.car_number, config) == claim.number_key:
            status, iracing_number = ClaimStatus.SYNCED, entry.car_number
            report.synced.append(row)
            assert link is not None
            if not link.verified:
                link.verified, link.verified_at = True, now
                link.proof = f"league {config.league_id} roster: {entry.display_name} has #{entry.car_number}"[:200]
                link.save(update_fields=["verified", "verified_at", "proof", "updated_at"])
                report.newly_verified += 1
                audit(
                    guild_id=guild_id,
                    actor_id=actor_id,
                    action=AuditAction.VERIFY,
                    subject_id=link.discord_user_id,
                    details=link.proof,
                )
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
    linked_users = {link.cust_id: uid for uid, link in links.items()}
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
        f"{len(report.not_in_roster)} not in roster, {len(report.unclaimed)} unclaimed",
    )
    return report
