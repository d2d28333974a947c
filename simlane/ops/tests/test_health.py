"""The web process's /healthz, /readyz and /metrics, as a load balancer and Prometheus see them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from simlane.conftest import REDIS_URL
from simlane.results.models import DriverPollState, GuildResultsConfig, PollPartition, PostedResult, PostStatus

pytestmark = pytest.mark.django_db


def test_healthz_says_alive(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"alive": True}


def test_readyz_is_ready_with_its_database_and_no_broker(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["ready"] is True and body["process"] == "web"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["broker"] == {"ok": True, "required": True, "detail": "none configured: tasks run in-process"}
    # Not the web app's own dependencies: reported, never a reason to take it out of service.
    assert body["checks"]["discord_gateway"] == {"ok": False, "required": False, "detail": "no bot has reported yet"}
    assert body["checks"]["iracing_token"]["required"] is False


@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:9/0")
def test_readyz_is_not_ready_when_the_broker_is_unreachable(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    broker = response.json()["checks"]["broker"]
    assert broker["ok"] is False and broker["required"] is True and "Error" in broker["detail"]


@pytest.mark.needs_redis
@override_settings(CELERY_BROKER_URL=REDIS_URL)
def test_readyz_is_ready_with_a_reachable_broker(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json()["checks"]["broker"] == {"ok": True, "required": True, "detail": "reachable"}


def test_metrics_report_the_outbox_and_poll_lag(client):
    now = timezone.now()
    GuildResultsConfig.objects.create(guild_id=1, channel_id=10)
    for n, status in enumerate([PostStatus.CLAIMED, PostStatus.CLAIMED, PostStatus.POSTED, PostStatus.FAILED]):
        PostedResult.objects.create(guild_id=1, subsession_id=100 + n, cust_id=7, nonce=f"n{n}", status=status)
    PostedResult.objects.filter(subsession_id=100).update(created_at=now - timedelta(minutes=10))
    DriverPollState.objects.create(
        cust_id=7, next_poll_at=now - timedelta(minutes=5), last_race_at=now - timedelta(hours=2)
    )
    DriverPollState.objects.create(cust_id=8, next_poll_at=now + timedelta(minutes=5), last_race_at=now)

    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    values = {line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1]) for line in lines if line and line[0] != "#"}
    assert values['simlane_posts{status="claimed"}'] == 2
    assert values['simlane_posts{status="posted"}'] == 1
    assert values['simlane_posts{status="failed"}'] == 1
    assert 600 <= values["simlane_outbox_oldest_age_seconds"] < 660
    assert 300 <= values['simlane_poll_lag_seconds{driver_class="racing"}'] < 360
    assert values['simlane_poll_lag_seconds{driver_class="idle"}'] == 0


def test_metrics_show_a_results_search_partition_no_worker_takes(client, settings):
    settings.RESULTS_PARTITIONS = 2
    now = timezone.now()
    PollPartition.objects.create(index=0, count=2, searched_at=now - timedelta(seconds=30))
    PollPartition.objects.create(index=1, count=2, searched_at=now - timedelta(hours=1))
    PollPartition.objects.create(index=5, count=8, searched_at=now - timedelta(days=1))  # of an older count

    lines = client.get("/metrics").content.decode().splitlines()
    values = {line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1]) for line in lines if line and line[0] != "#"}
    assert 30 <= values['simlane_poll_partition_age_seconds{partition="0"}'] < 90
    assert 3600 <= values['simlane_poll_partition_age_seconds{partition="1"}'] < 3660
    assert 'simlane_poll_partition_age_seconds{partition="5"}' not in values
