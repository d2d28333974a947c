"""Deduplication: claims are unique per server, subsession and driver, whoever claims them."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime

import pytest
from django.db import connections

from simlane.iracing.client.models import SubsessionResult
from simlane.results.models import PostedResult
from simlane.results.poller.ingest import claims_for_result, participants, race_kind, wants
from simlane.results.selectors import Subscription
from simlane.results.services import PostClaim, posts_claim

EARLY = datetime(2000, 1, 1, tzinfo=UTC)


def sub(guild: int, cust: int, **rules: bool) -> Subscription:
    return Subscription(
        guild_id=guild,
        cust_id=cust,
        channel_id=guild * 10,
        tracked_since=EARLY,
        official_only=rules.get("official_only", False),
        include_hosted=rules.get("include_hosted", False),
        include_league=rules.get("include_league", False),
    )


def load(fixtures_dir, name: str) -> SubsessionResult:
    return SubsessionResult.model_validate(json.loads((fixtures_dir / name).read_text(encoding="utf-8")))


@pytest.mark.django_db(transaction=True)
def test_claiming_twice_and_concurrently_leaves_one_row_per_server():
    claims = [PostClaim(1, 500, 42, 10, None), PostClaim(2, 500, 42, 20, None)]
    assert posts_claim(claims=claims) == 2
    assert posts_claim(claims=claims) == 0

    created: list[int] = []
    barrier = threading.Barrier(6)

    def worker() -> None:
        barrier.wait()
        created.append(posts_claim(claims=[PostClaim(3, 501, 42, 30, None)]))
        connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(created) == 1
    assert PostedResult.objects.filter(subsession_id=501).count() == 1
    assert PostedResult.objects.count() == 3
    assert len({p.nonce for p in PostedResult.objects.all()}) == 3
    assert all(len(p.nonce) <= 25 for p in PostedResult.objects.all())


def test_every_tracked_driver_of_a_team_race_is_found_inside_the_teams(fixtures_dir):
    result = load(fixtures_dir, "result_with_team.json")
    race = result.main_event()
    assert race is not None
    team_members = [d.cust_id for row in race.results for d in row.driver_results if d.cust_id is not None]
    assert set(team_members) <= set(participants(result)) and len(team_members) >= 2
    subs = {c: [sub(1, c)] for c in team_members[:2]}
    assert {(c.guild_id, c.cust_id) for c in claims_for_result(result, subs)} == {(1, c) for c in team_members[:2]}


def test_servers_get_the_kinds_of_race_they_asked_for(fixtures_dir):
    result = load(fixtures_dir, "result.json")
    assert race_kind(result) == "series"
    cust = participants(result)[0]
    assert wants(sub(1, cust), result)
    assert wants(sub(1, cust, official_only=True), result) == result.official_session
    hosted = result.model_copy(update={"private_session_id": 123, "series_id": 0})
    league = result.model_copy(update={"league_id": 7001})
    assert not wants(sub(1, cust), hosted) and wants(sub(1, cust, include_hosted=True), hosted)
    assert not wants(sub(1, cust), league) and wants(sub(1, cust, include_league=True), league)
    practice = result.model_copy(update={"event_type": 2})
    assert not wants(sub(1, cust), practice)
    later = Subscription(1, cust, 10, datetime(2100, 1, 1, tzinfo=UTC), False, False, False)
    assert not wants(later, result), "a race that ended before the driver was tracked is not posted"
