"""Database helpers for async code."""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.db import connections


async def close_async_connections() -> None:
    """Close the connections the async ORM opened in its worker thread (call when an event loop's work is done).

    Without this they outlive ``asyncio.run`` and keep PostgreSQL sessions (and SQLite file handles) open.
    """
    await sync_to_async(connections.close_all)()
