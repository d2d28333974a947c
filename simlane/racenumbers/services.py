"""Writes for car numbers. Uniqueness is the database's job (partial unique constraints on active claims), so two
members claiming one number at the same instant cannot both win, on SQLite or PostgreSQL. Every change is audited
in the same transaction as the change itself."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from simlane.core.errors import ApplicationError

from .models import (
    AuditAction,
    AuditEntry,
    ClaimStatus,
    MemberLink,
    NumberClaim,
    NumberConfig,
    NumberTrade,
    OnLeave,
    TradeStatus,
)
from .numbers import NumberInputError, number_key, parse_number, pool_resolve, typed_digits
from .reconfigure import RELEASE, ClaimEffect, claim_effects, pool_after
from .selectors import claim_holder, number_config_get

TRADE_OFFER_TTL = timedelta(hours=24)  # an unanswered swap offer expires after this
CONFIG_FIELDS = (
    "league_id",
    "min_number",
    "max_number",
    "announcement_channel_id",
    "auto_sync_minutes",
    "leading_zeros_distinct",
    "pools",
    "sync_pools",
    "on_leave",
)


class NumbersError(ApplicationError):
    """A car-number request that cannot be done as asked; nothing was changed."""


def audit(*, guild_id: int, actor_id: int | None, action: str, **fields: Any) -> AuditEntry:
    return AuditEntry.objects.create(guild_id=guild_id, actor_id=actor_id, action=action, **fields)


def _pool(config: NumberConfig, pool: str | None) -> str:
    try:
        return pool_resolve(config, pool) or ""
    except NumberInputError as exc:
        raise NumbersError(exc.message) from None


def _in(pool: str) -> str:
    return f" in {pool}" if pool else ""


class ConfigConflict(NumbersError):
    """The change would release or flag claims members hold; nothing was saved. ``effects`` says what, per claim;
    passing them back as ``confirmed`` applies the change."""

    def __init__(self, effects: list[ClaimEffect]) -> None:
        super().__init__(f"This change affects {len(effects)} claim(s); confirm it to apply. Nothing was changed yet.")
        self.effects = effects


@transaction.atomic
def number_config_update(
    *, guild_id: int, actor_id: int, confirmed: list[ClaimEffect] | None = None, **changes: Any
) -> NumberConfig:
    """Change the server's settings. A change that would release or flag claims is refused with ``ConfigConflict``
    unless ``confirmed`` lists exactly those effects (the claims may have changed since the admin saw them)."""
    config = NumberConfig.objects.select_for_update().filter(guild_id=guild_id).first() or NumberConfig(
        guild_id=guild_id
    )
    claims = list(NumberClaim.objects.select_for_update().filter(guild_id=guild_id, active=True))
    before = {(e.claim_id, e.action) for e in claim_effects(config, claims)}
    applied = {k: v for k, v in changes.items() if k in CONFIG_FIELDS and v is not None}
    for key, value in applied.items():
        setattr(config, key, value)
    if config.min_number > config.max_number or config.max_number > 999:
        raise NumbersError("The number range must be within 0–999 with the minimum not above the maximum.")
    if "sync_pools" in applied:
        config.sync_pools = [str(pool_resolve(config, p)) for p in applied["sync_pools"]] if config.pools else []
    else:  # pools removed (or renamed in another case) take the sync choice with them
        config.sync_pools = [p for p in (pool_after(p, config) for p in config.sync_pools) if p]
    effects = [e for e in claim_effects(config, claims) if (e.claim_id, e.action) not in before]
    if effects and sorted(effects, key=repr) != sorted(confirmed or [], key=repr):
        raise ConfigConflict(effects)
    config.save()
    if applied:
        details = ", ".join(f"{k}={v}" for k, v in sorted(applied.items()))
        audit(guild_id=guild_id, actor_id=actor_id, action=AuditAction.CONFIG, details=details[:500])
    _apply_effects(config, claims, effects, actor_id=actor_id)
    return config


def _apply_effects(config: NumberConfig, claims: list[NumberClaim], effects: list[ClaimEffect], actor_id: int) -> None:
    """Release what the confirmed change releases, then bring every kept claim's pool spelling and uniqueness key
    in line with the new rules (releases first, so the unique constraint holds after every statement)."""
    now = timezone.now()
    released = {e.claim_id for e in effects if e.action == RELEASE}
    by_id = {c.id: c for c in claims}
    for effect in effects:
        claim = by_id[effect.claim_id]
        if effect.action == RELEASE:
            _release(claim, now)
        audit(
            guild_id=config.guild_id,
            actor_id=actor_id,
            action=AuditAction.FORCE_RELEASE if effect.action == RELEASE else AuditAction.CONFIG,
            pool=claim.pool,
            number=claim.number,
            subject_id=claim.discord_user_id,
            details=f"/setup: {'released' if effect.action == RELEASE else 'kept'}, {effect.reason}"[:500],
        )
    for claim in claims:
        if claim.id in released:
            continue
        pool = pool_after(claim.pool, config) or ""
        key = number_key(claim.number, leading_zeros_distinct=config.leading_zeros_distinct)
        if (claim.pool, claim.number_key) != (pool, key):
            claim.pool, claim.number_key = pool, key
            claim.save(update_fields=["pool", "number_key", "updated_at"])


def number_claim(*, guild_id: int, user_id: int, user_name: str, number: str, pool: str | None = None) -> NumberClaim:
    """Claim a number; exactly one of two simultaneous claims wins, the other learns who holds it."""
    config = number_config_get(guild_id=guild_id)
    pool_name = _pool(config, pool)
    shown, key = parse_number(number, config)
    try:
        with transaction.atomic():
            claim = NumberClaim.objects.create(
                guild_id=guild_id,
                pool=pool_name,
                number=shown,
                number_key=key,
                discord_user_id=user_id,
                discord_name=user_name[:100],
            )
            audit(
                guild_id=guild_id,
                actor_id=user_id,
                action=AuditAction.CLAIM,
                pool=pool_name,
                number=shown,
                subject_id=user_id,
            )
    except IntegrityError:
        holder = claim_holder(guild_id=guild_id, pool=pool_name, key=key)
        if holder is not None and holder.discord_user_id == user_id:
            raise NumbersError(f"You already hold #{holder.number}{_in(pool_name)}.") from None
        if holder is not None:
            raise NumbersError(f"#{holder.number}{_in(pool_name)} is taken by <@{holder.discord_user_id}>.") from None
        own = NumberClaim.objects.filter(
            guild_id=guild_id, pool=pool_name, discord_user_id=user_id, active=True
        ).first()
        held = f"#{own.number}" if own else "a number"
        raise NumbersError(
            f"You already hold {held}{_in(pool_name)}: `/release` it first, or offer a swap with `/trade`."
        ) from None
    return claim


def _held(*, guild_id: int, number: str, pool: str | None, user_id: int | None = None) -> NumberClaim:
    """The active claim the member means, found among the stored claims rather than through today's rules: a
    claim made before the range narrowed, "07" and "7" merged or a pool was renamed is still found. ``user_id``
    limits the search to that member's claims (a member releasing their own number)."""
    typed = typed_digits(number)
    qs = NumberClaim.objects.select_for_update().filter(guild_id=guild_id, active=True)
    candidates = [c for c in qs if not pool or c.pool.casefold() == pool.strip().casefold()]
    if user_id is not None:
        mine = [c for c in candidates if c.discord_user_id == user_id]
        candidates = mine or candidates  # someone else's number: say whose it is
    exact = [c for c in candidates if c.number == typed]
    same_value = [c for c in candidates if int(c.number) == int(typed)]
    found = exact or same_value
    where = f" in {pool.strip()[:50]}" if pool and pool.strip() else ""
    if not found:
        raise NumbersError(f"Nobody holds #{typed}{where}.")
    if len(found) > 1:
        held = ", ".join(f"#{c.number}" + (f" in {c.pool}" if c.pool else "") for c in found)
        raise NumbersError(f"#{typed} matches several claims ({held}): name the pool, or type the number exactly.")
    return found[0]


def _release(claim: NumberClaim, now: datetime) -> None:
    claim.active, claim.released_at = False, now
    claim.save(update_fields=["active", "released_at", "updated_at"])


@transaction.atomic
def number_release(*, guild_id: int, user_id: int, number: str, pool: str | None = None) -> NumberClaim:
    claim = _held(guild_id=guild_id, number=number, pool=pool, user_id=user_id)
    pool_name = claim.pool
    if claim.discord_user_id != user_id:
        raise NumbersError(f"#{claim.number} is <@{claim.discord_user_id}>'s; an admin can use `/forcerelease`.")
    _release(claim, timezone.now())
    audit(
        guild_id=guild_id,
        actor_id=user_id,
        action=AuditAction.RELEASE,
        pool=pool_name,
        number=claim.number,
        subject_id=user_id,
    )
    return claim


@transaction.atomic
def number_force_release(
    *, guild_id: int, actor_id: int, number: str, pool: str | None = None, reason: str = ""
) -> NumberClaim:
    claim = _held(guild_id=guild_id, number=number, pool=pool)
    pool_name = claim.pool
    _release(claim, timezone.now())
    audit(
        guild_id=guild_id,
        actor_id=actor_id,
        action=AuditAction.FORCE_RELEASE,
        pool=pool_name,
        number=claim.number,
        subject_id=claim.discord_user_id,
        details=reason[:500],
    )
    return claim


def member_link(*, guild_id: int, user_id: int, cust_id: int, iracing_name: str) -> MemberLink:
    """Tie a member to an iRacing account, pending until verified (see ``member_link_verify``).

    A pending link is a claim anyone could make (customer ids are public), so it never blocks another member; only
    an account already verified for someone else is refused.
    """
    owner = _verified_owner(guild_id=guild_id, cust_id=cust_id)
    if owner is not None and owner.discord_user_id != user_id:
        raise NumbersError(
            f"iRacing account {cust_id} is verified for <@{owner.discord_user_id}>. If it is yours, ask an admin: "
            "they can `/unlink` it."
        )
    with transaction.atomic():
        current = MemberLink.objects.select_for_update().filter(guild_id=guild_id, discord_user_id=user_id).first()
        if current is not None and current.cust_id == cust_id:
            current.iracing_name = iracing_name[:200]  # linking the same account again keeps its verification
            current.save(update_fields=["iracing_name", "updated_at"])
            return current
        link, _ = MemberLink.objects.update_or_create(
            guild_id=guild_id,
            discord_user_id=user_id,
            defaults={
                "cust_id": cust_id,
                "iracing_name": iracing_name[:200],
                "verified": False,
                "verified_at": None,
                "proof": "",
            },
        )
        audit(
            guild_id=guild_id,
            actor_id=user_id,
            action=AuditAction.LINK,
            subject_id=user_id,
            details=f"cust_id {cust_id}",
        )
    return link


def _verified_owner(*, guild_id: int, cust_id: int) -> MemberLink | None:
    return MemberLink.objects.filter(guild_id=guild_id, cust_id=cust_id, verified=True).first()


def member_link_verify(*, guild_id: int, user_id: int, cust_id: int, method: str, actor_id: int | None) -> MemberLink:
    """Mark the member's link to ``cust_id`` verified: an admin vouched for it (``method="admin"``) or the member
    proved control of the account (signing in with iRacing). The one way a link becomes verified; audited."""
    try:
        with transaction.atomic():
            link = (
                MemberLink.objects.select_for_update()
                .filter(guild_id=guild_id, discord_user_id=user_id, cust_id=cust_id)
                .first()
            )
            if link is None:
                raise NumbersError(
                    f"<@{user_id}> has no link to iRacing account {cust_id}: they link it first with `/link`."
                )
            if link.verified:
                return link
            link.verified, link.verified_at = True, timezone.now()
            link.proof = f"{method} by <@{actor_id}>" if actor_id else method
            link.save(update_fields=["verified", "verified_at", "proof", "updated_at"])
            audit(
                guild_id=guild_id,
                actor_id=actor_id,
                action=AuditAction.VERIFY,
                subject_id=user_id,
                details=f"cust_id {cust_id} ({method})",
            )
    except IntegrityError:  # someone else's link to this account was verified first (partial unique constraint)
        owner = _verified_owner(guild_id=guild_id, cust_id=cust_id)
        who = f"<@{owner.discord_user_id}>" if owner else "another member"
        raise NumbersError(
            f"iRacing account {cust_id} is already verified for {who}: `/unlink` them first if that was wrong."
        ) from None
    return link


@transaction.atomic
def member_link_remove(*, guild_id: int, user_id: int, actor_id: int, reason: str = "") -> MemberLink:
    """Remove a member's link (an admin correcting a wrong or squatted link); audited."""
    link = MemberLink.objects.select_for_update().filter(guild_id=guild_id, discord_user_id=user_id).first()
    if link is None:
        raise NumbersError(f"<@{user_id}> has no iRacing link here.")
    state = "verified" if link.verified else "pending"
    link.delete()
    audit(
        guild_id=guild_id,
        actor_id=actor_id,
        action=AuditAction.UNLINK,
        subject_id=user_id,
        details=f"cust_id {link.cust_id} ({state}){': ' + reason if reason else ''}"[:500],
    )
    return link


@transaction.atomic
def trade_offer(*, guild_id: int, from_user: int, to_user: int, now: datetime, pool: str | None = None) -> NumberTrade:
    """Offer a swap; it stays open for ``TRADE_OFFER_TTL`` from ``now`` (the bot's clock)."""
    config = number_config_get(guild_id=guild_id)
    pool_name = _pool(config, pool)
    if from_user == to_user:
        raise NumbersError("You can't swap with yourself.")
    mine = NumberClaim.objects.filter(guild_id=guild_id, pool=pool_name, discord_user_id=from_user, active=True).first()
    theirs = NumberClaim.objects.filter(guild_id=guild_id, pool=pool_name, discord_user_id=to_user, active=True).first()
    if mine is None or theirs is None:
        raise NumbersError(f"Both of you need a number{_in(pool_name)} to swap.")
    return NumberTrade.objects.create(
        guild_id=guild_id,
        pool=pool_name,
        from_user_id=from_user,
        to_user_id=to_user,
        from_number=mine.number,
        to_number=theirs.number,
        expires_at=now + TRADE_OFFER_TTL,
    )


class TradeClosed(NumbersError):
    """The offer can no longer be answered (answered, expired or cancelled); its buttons should be disabled."""


# Why an offer is no longer open, as the member pressing its button is told.
CLOSED = {
    TradeStatus.DONE: "This offer is no longer open: it was already answered, the numbers were swapped.",
    TradeStatus.DECLINED: "This offer is no longer open: it was already answered, declined.",
    TradeStatus.CANCELLED: "This offer is no longer open: the numbers changed, so it was cancelled.",
    TradeStatus.EXPIRED: "This offer expired (offers stay open 24 hours). Nothing was swapped; `/trade` again.",
}


def trade_answer(*, guild_id: int, trade_id: int, user_id: int, accept: bool, now: datetime) -> NumberTrade:
    """The other member confirms (both claims change in one transaction) or declines.

    The offer row is locked first and its status checked under the lock, so of two simultaneous accepts exactly one
    swaps and the other is told the offer was already answered. An offer past its expiry is expired here, on read,
    as well as by the periodic sweep (``trade_expire_due``)."""
    with transaction.atomic():
        trade, closed = _trade_answer(guild_id=guild_id, trade_id=trade_id, user_id=user_id, accept=accept, now=now)
    if closed:  # raised after the commit, so a cancelled or expired offer stays so
        raise TradeClosed(closed)
    return trade


def _trade_answer(
    *, guild_id: int, trade_id: int, user_id: int, accept: bool, now: datetime
) -> tuple[NumberTrade, str]:
    trade = NumberTrade.objects.select_for_update().filter(guild_id=guild_id, id=trade_id).first()
    if trade is None:
        raise TradeClosed("That offer no longer exists.")
    if trade.status == TradeStatus.PENDING and now >= trade.expires_at:
        trade.status = TradeStatus.EXPIRED
        trade.save(update_fields=["status", "updated_at"])
    if trade.status != TradeStatus.PENDING:
        return trade, CLOSED[TradeStatus(trade.status)]
    if trade.to_user_id != user_id:
        raise NumbersError("This offer is not for you. Only the member the swap was offered to can answer it.")
    if not accept:
        trade.status = TradeStatus.DECLINED
        trade.save(update_fields=["status", "updated_at"])
        return trade, ""
    claims = {
        c.discord_user_id: c
        for c in NumberClaim.objects.select_for_update().filter(
            guild_id=guild_id, pool=trade.pool, active=True, discord_user_id__in=[trade.from_user_id, user_id]
        )
    }
    mine, theirs = claims.get(trade.from_user_id), claims.get(user_id)
    if mine is None or theirs is None or (mine.number, theirs.number) != (trade.from_number, trade.to_number):
        trade.status = TradeStatus.CANCELLED
        trade.save(update_fields=["status", "updated_at"])
        return trade, "The numbers changed since the offer, so it was cancelled. Nothing was swapped."
    stamp = timezone.now()
    for old in (mine, theirs):  # free both first: the unique constraint holds after every statement
        _release(old, stamp)
    for old, new in ((mine, theirs), (theirs, mine)):
        NumberClaim.objects.create(
            guild_id=guild_id,
            pool=trade.pool,
            number=new.number,
            number_key=new.number_key,
            discord_user_id=old.discord_user_id,
            discord_name=old.discord_name,
        )
        audit(
            guild_id=guild_id,
            actor_id=user_id,
            action=AuditAction.TRADE,
            pool=trade.pool,
            number=new.number,
            subject_id=old.discord_user_id,
            details=f"was #{old.number}",
        )
    trade.status = TradeStatus.DONE
    trade.save(update_fields=["status", "updated_at"])
    return trade, ""


def trade_expire_due(*, now: datetime) -> int:
    """Expire every pending offer past its expiry (the periodic sweep); returns how many. A conditional update, so
    an offer accepted at the same instant is either swapped or expired, never both."""
    return NumberTrade.objects.filter(status=TradeStatus.PENDING, expires_at__lte=now).update(
        status=TradeStatus.EXPIRED, updated_at=timezone.now()
    )


@transaction.atomic
def member_left(*, guild_id: int, user_id: int) -> tuple[str, list[NumberClaim]]:
    """Apply the server's rule for a member who left (release, keep or flag their claims); audited per claim.
    Returns the rule applied and the claims it concerned."""
    config = number_config_get(guild_id=guild_id)
    claims = list(
        NumberClaim.objects.select_for_update().filter(guild_id=guild_id, discord_user_id=user_id, active=True)
    )
    now = timezone.now()
    for claim in claims:
        if config.on_leave == OnLeave.RELEASE:
            _release(claim, now)
        elif config.on_leave == OnLeave.FLAG:
            claim.member_left_at = now
            claim.save(update_fields=["member_left_at", "updated_at"])
        audit(
            guild_id=guild_id,
            actor_id=None,
            action=AuditAction.LEAVE,
            pool=claim.pool,
            number=claim.number,
            subject_id=user_id,
            details={"release": "released", "keep": "kept", "flag": "kept, flagged"}[config.on_leave],
        )
    return config.on_leave, claims


__all__ = ["ClaimStatus", "NumbersError"]
