"""Database helpers for async code."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
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
def demo_lock() -> Iterator[None]:
    """Hold the data directory's demo lock while the block runs; refuse at once if another demo holds it.

    A demo starts by emptying its database, so a second demo on the same data directory would wipe the first one's
    state under it. The operating system's file lock is released when its process ends, however it ends, so a
    crashed demo never leaves a stale lock behind.
    """
    demo = Path(settings.DATABASES["demo"]["NAME"])
    demo.parent.mkdir(parents=True, exist_ok=True)
    with (demo.parent / "demo.lock").open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise CommandError(
                f"A SimLane demo is already running on the data directory {demo.parent} ({holder}); a second one "
                "would wipe its data. Stop it first, or give this one a directory of its own: "
                "SIMLANE_DATA_DIR=/some/other/dir simlane run"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"process {os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def demo_database() -> Iterator[None]:
    """Run the enclosed code on a migrated, emptied demo database (one demo per data directory at a time)."""
    with demo_lock(), _demo_database():
        yield


@contextlib.contextmanager
def _demo_database() -> Iterator[None]:
    global _demo_mode
    call_command("migrate", database="demo", verbosity=0, interactive=False)
    call_command("flush", database="demo", verbosity=0, interactive=False)
    _demo_mode = True
    try:
        yield
    finally:
        _demo_mode = False
        connections["demo"].close()
