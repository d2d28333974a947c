"""Database helpers for async code."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from asgiref.sync import sync_to_async
from django.core.management import call_command
from django.db import connections

_demo_mode = False


async def close_async_connections() -> None:
    """Close the connections the async ORM opened in its worker thread (call when an event loop's work is done).

    Without this they outlive ``asyncio.run`` and keep PostgreSQL sessions (and SQLite file handles) open.
    """
    await sync_to_async(connections.close_all)()


class DemoRouter:
    """Sends every query to the ``demo`` database while the demo runs (a process-wide switch: the async ORM's
    worker thread must see it too), and to the default database otherwise."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return "demo" if _demo_mode else None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return "demo" if _demo_mode else None


@contextlib.contextmanager
def demo_database() -> Iterator[None]:
    """Run the enclosed code on a migrated, emptied demo database."""
    global _demo_mode
    call_command("migrate", database="demo", verbosity=0, interactive=False)
    call_command("flush", database="demo", verbosity=0, interactive=False)
    _demo_mode = True
    try:
        yield
    finally:
        _demo_mode = False
        connections["demo"].close()
