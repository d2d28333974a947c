"""Reference data sync against the simulator and the recorded fixtures (replay): idempotent, cached, retiring."""

from __future__ import annotations

import json
from collections.abc import Awaitable
from typing import TypeVar

import pytest
from asgiref.sync import sync_to_async
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from simlane.iracing.client import IRacingClient
from simlane.iracing.models import ApiCall, Car, CarClass, Series, Track
from simlane.iracing.simulator import Simulator, SimulatorConfig
from simlane.iracing.simulator.local import demo_client_config
from simlane.iracing.sync.jobs import sync_reference

pytestmark = pytest.mark.django_db(transaction=True)
T = TypeVar("T")


def writes(queries: list[str]) -> list[str]:
    return [q for q in queries if q.split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]


async def captured(coro: Awaitable[T]) -> tuple[T, list[str]]:
    """The SQL the async ORM's thread (where ``sync_to_async`` runs it) sent while ``coro`` ran."""
    ctx = CaptureQueriesContext(connection)
    await sync_to_async(ctx.__enter__)()
    try:
        result = await coro
    finally:
        await sync_to_async(ctx.__exit__)(None, None, None)
    sql: list[str] = await sync_to_async(lambda: [q["sql"] for q in ctx.captured_queries])()
    return result, sql


@pytest.fixture
async def replay(fixtures_dir):
    sim = Simulator(SimulatorConfig(replay_dir=fixtures_dir))
    await sim.start()
    cache.clear()
    try:
        async with IRacingClient(demo_client_config(sim.base_url)) as client:
            yield sim, client
    finally:
        await sim.stop()


async def test_recorded_catalogue_syncs_once_then_writes_nothing_then_costs_no_call(replay, fixtures_dir):
    sim, client = replay
    first = await sync_reference(client)
    expected = {
        name: len(json.loads((fixtures_dir / name).read_text()))
        for name in ("get_cars.json", "get_carclasses.json", "get_tracks.json", "get_series.json")
    }
    assert (await Car.objects.acount(), await CarClass.objects.acount()) == (
        expected["get_cars.json"],
        expected["get_carclasses.json"],
    )
    assert (await Track.objects.acount(), await Series.objects.acount()) == (
        expected["get_tracks.json"],
        expected["get_series.json"],
    )
    assert first.total.created == sum(expected.values()) and first.api_calls == 4
    series = await Series.objects.exclude(allowed_licenses=[]).afirst()
    assert series is not None and "group_name" in json.dumps(series.allowed_licenses)

    calls = sim.counters["data"]
    again, sql = await captured(sync_reference(client, refresh=True))  # from iRacing again, same content
    assert again.total.written == 0 and again.total.unchanged == sum(expected.values())
    assert len(sql) >= 8, "the capture saw the sync's queries"
    assert all('"iracing_apicall"' in w for w in writes(sql)), writes(sql)  # only the ledger is written
    assert sim.counters["data"] == calls + 4

    cached = await sync_reference(client)
    assert cached.api_calls == 0 and cached.cache_hits == 4 and sim.counters["data"] == calls + 4
    assert await ApiCall.objects.filter(cached=True).acount() == 4


async def test_a_class_links_its_cars(replay):
    _sim, client = replay
    await sync_reference(client)
    cls = await CarClass.objects.exclude(car_ids=[]).afirst()
    assert cls is not None
    linked = sorted([c async for c in cls.cars.values_list("car_id", flat=True)])
    known = {c async for c in Car.objects.values_list("car_id", flat=True)}
    assert linked == sorted(c for c in cls.car_ids if c in known) and linked


async def test_what_vanishes_upstream_is_retired_not_deleted_and_comes_back(sim_factory):
    sim = sim_factory(members=50)
    await sim.start()
    cache.clear()
    try:
        async with IRacingClient(demo_client_config(sim.base_url)) as client:
            await sync_reference(client)
            from simlane.iracing.simulator import catalog

            saved = list(catalog.CARS)
            catalog.CARS.pop()
            try:
                report = await sync_reference(client, refresh=True)
            finally:
                catalog.CARS[:] = saved
            assert report.counts["car/get"].retired == 1
            assert await Car.objects.filter(active=False).acount() == 1
            assert await Car.objects.acount() == len(saved)
            back = await sync_reference(client, refresh=True)
            assert back.counts["car/get"].updated == 1 and not await Car.objects.filter(active=False).aexists()
    finally:
        await sim.stop()
