"""The broker-less scheduler of simlane run: periodic jobs survive failures and keep their interval."""

from __future__ import annotations

import asyncio

import pytest

from simlane.discord_bot.runtime import every


async def test_a_periodic_job_outlives_a_failure_and_keeps_its_interval():
    runs: list[str] = []
    waits: list[float] = []

    async def work() -> None:
        runs.append("run")
        if len(runs) == 2:
            raise RuntimeError("iRacing had a bad minute")

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 4:
            raise asyncio.CancelledError  # the process stops

    with pytest.raises(asyncio.CancelledError):
        await every(1800, work, sleep=sleep, name="race guide")
    assert runs == ["run"] * 4 and waits == [1800] * 4
