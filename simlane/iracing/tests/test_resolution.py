"""Every response shape the Data API uses, resolved over real HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from simlane.iracing.client.transport import parse_body


async def test_link_response_is_followed_without_credentials(sim, client):
    cars = await client.cars()
    assert {c.car_name for c in cars} >= {"Global Mazda MX-5 Cup", "Porsche 963 GTP"}
    downloads = [c for c in sim.calls if c["kind"] == "download"]
    assert downloads and all(c["status"] == 200 for c in downloads)  # the simulator refuses auth headers


async def test_search_chunks_are_fetched_and_concatenated(sim, client):
    now = datetime.fromtimestamp(sim.clock.time(), UTC)
    rows = await client.search_series(finish_range_begin=now - timedelta(hours=6), finish_range_end=now)
    direct = sim.data.results.search_series(
        {
            "finish_range_begin": (now - timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "finish_range_end": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        },
        sim.clock.time(),
    ).payload
    assert len(rows) == len(direct) > 5  # more than one chunk of 5
    assert [r.subsession_id for r in rows] == [r["subsession_id"] for r in direct]


async def test_empty_search_has_no_chunks_and_is_an_empty_list(sim, client):
    future = datetime.fromtimestamp(sim.clock.time(), UTC) + timedelta(days=1)
    assert await client.search_series(finish_range_begin=future) == []


async def test_data_url_roster_keeps_string_car_numbers(client):
    roster = await client.league_roster(7001)
    numbers = [m.car_number for m in roster.roster]
    assert "07" in numbers and all(n is None or isinstance(n, str) for n in numbers)


async def test_chunked_link_lap_data_returns_laps_and_header(sim, client):
    member = next(m for m in sim.world.members if m.races_per_day >= 1)
    races = (await client.member_recent_races(member.cust_id)).races
    laps = await client.results_lap_data(races[0].subsession_id, cust_id=member.cust_id)
    assert laps[0].lap_number == 0 and laps[0].lap_time.seconds is None
    assert all(lap.cust_id == member.cust_id for lap in laps)
    resolved = await client.get_resolved(
        "results/lap_data",
        {"subsession_id": races[0].subsession_id, "simsession_number": 0, "cust_id": member.cust_id},
    )
    assert resolved.header is not None and resolved.header["best_lap_time"] > 0


async def test_direct_constants(client):
    event_types = await client.constants("event_types")
    assert {c.label: c.value for c in event_types}["Race"] == 5


async def test_json_is_parsed_whatever_the_content_type(sim_factory, make_client):
    sim = sim_factory(link_content_type="application/octet-stream", members=100)
    await sim.start()
    try:
        async with make_client(sim) as c:
            assert len(await c.tracks()) == 12
    finally:
        await sim.stop()


def test_csv_bodies_become_rows():
    rows = parse_body("driver,custid\nJosé Núñez,123\n", "text/csv")
    assert rows == [{"driver": "José Núñez", "custid": "123"}]


async def test_weather_forecast_url_is_fetched_and_converted(sim, client):
    schedule = await client.series_season_schedule((await client.series_seasons())[0].season_id)
    url = schedule.schedules[0].weather.weather_url
    assert url and url.startswith(sim.base_url)
    forecast = await client.weather_forecast(url)
    assert forecast[0].air_temp_c == 16.0 and forecast[0].wind_speed_ms == 3.5
