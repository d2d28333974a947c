"""One outbox drainer in a process of its own, for the concurrent-drain tests.

``python -m simlane.results.tests.drainer FOLDER``: waits for ``FOLDER/go``, then drains the outbox of the database
``DATABASE_URL`` names until nothing is due, recording every send as a line ``<nonce> <pid>`` in ``FOLDER/sent``
(appends of one short line are atomic, so two drainers never interleave within a line).
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import django


class RecordingPublisher:
    """Records each send; each takes a few milliseconds, as a request to Discord would (so drains overlap)."""

    def __init__(self, sent: Path) -> None:
        self.sent = sent
        self.count = 0

    async def send(
        self,
        *,
        channel_id: int,
        embed: dict[str, Any],
        nonce: str,
        image: bytes | None = None,
        filename: str = "",
    ) -> int:
        await asyncio.sleep(0.005)
        with self.sent.open("a") as out:
            out.write(f"{nonce} {os.getpid()}\n")
        self.count += 1
        return 10**17 + self.count

    async def find_sent(self, *, channel_id: int, embed: dict[str, Any]) -> int | None:
        return None

    async def notify_admins(self, *, guild_id: int, text: str) -> None:
        raise AssertionError(f"no server's channel is broken here: {text}")


async def drain(folder: Path) -> int:
    from simlane.iracing.client import IRacingClient
    from simlane.iracing.simulator.local import demo_client_config
    from simlane.results import aio
    from simlane.results.poller import Outbox, SubsessionFetcher

    publisher = RecordingPublisher(folder / "sent")
    # Every result is already stored in the database: the client is never asked (its address accepts nothing).
    fetcher = SubsessionFetcher(IRacingClient(demo_client_config("http://127.0.0.1:9")))
    outbox = Outbox(publisher, fetcher, now=lambda: datetime.now(UTC))
    while await aio.posts_due(now=datetime.now(UTC), limit=1):
        await outbox.drain()
    return publisher.count


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    django.setup()
    folder = Path(sys.argv[1])
    while not (folder / "go").exists():  # start with the other drainer, on the same due rows
        time.sleep(0.005)
    print(asyncio.run(drain(folder)))
