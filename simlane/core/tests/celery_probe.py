"""A task for the worker-kill tests (loaded into a real worker with ``celery -A config worker -I``).

It logs when it starts and ends in a file, and waits in between until the test lets it finish, so a test can kill the
worker while it is surely mid-task. It counts as done once: the line is appended only when the wait is over.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from celery import shared_task


@shared_task(time_limit=120, soft_time_limit=110)
def probe(where: str) -> int:
    """Log ``start <pid>``, wait for the file ``go`` (at most a minute), then log ``done <pid>``."""
    folder = Path(where)
    with (folder / "log").open("a") as log:
        log.write(f"start {os.getpid()}\n")
    deadline = time.monotonic() + 60
    while not (folder / "go").exists() and time.monotonic() < deadline:
        time.sleep(0.05)  # a test helper, not task code: nothing else to wait on across processes
    with (folder / "log").open("a") as log:
        log.write(f"done {os.getpid()}\n")
    return os.getpid()
