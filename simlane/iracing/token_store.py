"""A :class:`~simlane.iracing.client.TokenStore` in the database, shared by every worker process."""

from __future__ import annotations

import asyncio
import hashlib
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from asgiref.sync import sync_to_async
from django.db.models import Q

from simlane.iracing.client import TokenSet
from simlane.iracing.client.errors import AuthError

from .models import IRacingTokenState

LEASE_SECONDS = 30.0


def account_key(client_id: str, username: str) -> str:
    return hashlib.sha256(f"{client_id}\0{username.strip().lower()}".encode()).hexdigest()


class DatabaseTokenStore:
    """Token state in :class:`IRacingTokenState`, with a lease lock so one process refreshes at a time."""

    def __init__(self, account: str, *, lease_seconds: float = LEASE_SECONDS) -> None:
        self.account = account
        self.lease_seconds = lease_seconds
        self._local = asyncio.Lock()

    async def load(self) -> TokenSet | None:
        row = await IRacingTokenState.objects.filter(account=self.account).afirst()
        if row is None or not row.access_token:
            return None
        return TokenSet.from_dict(
            {
                "access_token": row.access_token,
                "access_expires_at": row.access_expires_at,
                "refresh_token": row.refresh_token or None,
                "refresh_expires_at": row.refresh_expires_at,
            }
        )

    async def save(self, tokens: TokenSet | None) -> None:
        values = (
            tokens.to_dict()
            if tokens
            else {"access_token": "", "access_expires_at": 0, "refresh_token": "", "refresh_expires_at": None}
        )
        values["refresh_token"] = values["refresh_token"] or ""
        await IRacingTokenState.objects.aupdate_or_create(account=self.account, defaults=values)

    @asynccontextmanager
    async def lock(self) -> AsyncIterator[None]:
        async with self._local:
            owner = uuid.uuid4().hex
            await self._acquire(owner)
            try:
                yield
            finally:
                await IRacingTokenState.objects.filter(account=self.account, lock_owner=owner).aupdate(
                    lock_owner="", lock_until=0
                )

    async def _acquire(self, owner: str) -> None:
        await sync_to_async(IRacingTokenState.objects.get_or_create)(account=self.account)
        deadline = time.time() + self.lease_seconds * 2
        delay = 0.05
        while True:
            now = time.time()
            taken = await IRacingTokenState.objects.filter(
                Q(lock_owner="") | Q(lock_until__lt=now), account=self.account
            ).aupdate(lock_owner=owner, lock_until=now + self.lease_seconds)
            if taken:
                return
            if now > deadline:
                raise AuthError("another process has held the iRacing token lock for too long")
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.5)
