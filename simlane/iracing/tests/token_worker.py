"""A separate SimLane process for the cross-process token test: ``python -m simlane.iracing.tests.token_worker``.

Reads the simulator URL and the request count from argv, shares token state through the database named by
DATABASE_URL, and prints how many requests succeeded.
"""

from __future__ import annotations

import asyncio
import os
import sys

import django


async def work(url: str, count: int) -> int:
    from simlane.iracing.client import IRacingClient
    from simlane.iracing.simulator.local import demo_client_config
    from simlane.iracing.token_store import DatabaseTokenStore

    async with IRacingClient(demo_client_config(url), token_store=DatabaseTokenStore("shared")) as client:
        results = await asyncio.gather(*(client.get("constants/event_types") for _ in range(count)))
    return sum(1 for r in results if r)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    django.setup()
    print(asyncio.run(work(sys.argv[1], int(sys.argv[2]))))
