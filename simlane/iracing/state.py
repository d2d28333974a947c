"""The iRacing app's own bookkeeping rows: the token state every process shares, and the API-call ledger.

Synchronous; :class:`~simlane.iracing.token_store.DatabaseTokenStore` and ``cache_or_fetch`` reach these through
:mod:`simlane.iracing.aio`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from .models import ApiCall, IRacingTokenState


def token_state_get(*, account: str) -> dict[str, Any] | None:
    """The stored tokens of ``account`` (TokenSet's dict shape), or None when it holds no access token."""
    row = IRacingTokenState.objects.filter(account=account).first()
    if row is None or not row.access_token:
        return None
    return {
        "access_token": row.access_token,
        "access_expires_at": row.access_expires_at,
        "refresh_token": row.refresh_token or None,
        "refresh_expires_at": row.refresh_expires_at,
    }


def token_state_save(*, account: str, values: dict[str, Any]) -> None:
    IRacingTokenState.objects.update_or_create(account=account, defaults=values)


def token_lease_take(*, account: str, owner: str, now: float, lease_seconds: float) -> bool:
    """Take the refresh lease when it is free or ran out: one conditional UPDATE, atomic on SQLite and PostgreSQL."""
    IRacingTokenState.objects.get_or_create(account=account)
    taken = IRacingTokenState.objects.filter(Q(lock_owner="") | Q(lock_until__lt=now), account=account).update(
        lock_owner=owner, lock_until=now + lease_seconds
    )
    return bool(taken)


def token_lease_release(*, account: str, owner: str) -> None:
    IRacingTokenState.objects.filter(account=account, lock_owner=owner).update(lock_owner="", lock_until=0)


def api_call_record(*, endpoint: str, params: dict[str, Any], status: int, cached: bool, duration_ms: int) -> None:
    ApiCall.objects.create(
        endpoint=endpoint,
        params={k: str(v) for k, v in params.items()},
        status=status,
        cached=cached,
        duration_ms=duration_ms,
    )
