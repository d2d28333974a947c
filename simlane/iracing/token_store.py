"""A :class:`~simlane.iracing.client.TokenStore` in the database, shared by every worker process."""

from __future__ import annotations

import asyncio
import hashlib
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from simlane.iracing import aio
from simlane.iracing.client import TokenSet
from simlane.iracing.client.errors import AuthError

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
        stored = await aio.token_state_get(account=self.account)
        return TokenSet.from_dict(stored) if stored else None

    async def save(self, tokens: TokenSet | None) -> None:
        values = (
            tokens.to_dict()
            if tokens
            else {"access_token": "", "access_expires_at": 0, "refresh_token": "", "refresh_expires_at": None}
        )
        values["refresh_token"] = values["refresh_token"] or ""
        await aio.token_state_save(account=self.account, values=values)

    @asynccontextmanager
    async def lock(self) -> AsyncIterator[None]:
        async with self._local:
            owner = uuid.uuid4().hex
            await self._acquire(owner)
            try:
                yield
            finally:
                await aio.token_lease_release(account=self.account, owner=owner)

    async def _acquire(self, owner: str) -> None:
        deadline = time.time() + self.lease_seconds * 2
        delay = 0.05
        while True:
            now = time.time()
            if await aio.token_lease_take(account=self.account, owner=owner, now=now, lease_seconds=self.lease_seconds):
                return
            if now > deadline:
                raise AuthError("another process has held the iRacing token lock for too long")
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.5)
