"""Two processes draining one outbox never send the same post, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter

import pytest
from django.db import connection

from simlane.iracing.client.models import SubsessionResult
from simlane.iracing.sync.subsessions import subsession_store
from simlane.results.models import GuildResultsConfig, PostedResult, PostStatus
from simlane.results.poller.ingest import participants
from simlane.results.services import PostClaim, posts_claim

GUILDS = 40


def database_url() -> str:
    """The test database as a URL another process can open."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_two_drainers_on_one_database_send_every_post_exactly_once(fixtures_dir, tmp_path):
    result = SubsessionResult.model_validate(json.loads((fixtures_dir / "result.json").read_text(encoding="utf-8")))
    subsession_store(result)
    drivers = participants(result)[:3]
    for guild in range(1, GUILDS + 1):
        GuildResultsConfig.objects.create(guild_id=guild, channel_id=guild * 100)
    claims = [PostClaim(g, result.subsession_id, c, g * 100, None) for g in range(1, GUILDS + 1) for c in drivers]
    assert posts_claim(claims=claims) == len(claims) == GUILDS * len(drivers)

    env = {**os.environ, "DATABASE_URL": database_url(), "SIMLANE_DATA_DIR": str(tmp_path / "data")}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    command = [sys.executable, "-m", "simlane.results.tests.drainer", str(tmp_path)]
    drainers = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)]
    drainers.append(subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    (tmp_path / "go").touch()  # both drainers start on the same due rows at once
    outputs = [d.communicate(timeout=120) for d in drainers]
    assert [d.returncode for d in drainers] == [0, 0], [err for _, err in outputs]

    sends = [line.split() for line in (tmp_path / "sent").read_text().splitlines()]
    per_nonce = Counter(nonce for nonce, _ in sends)
    assert len(per_nonce) == len(claims)  # every post went out...
    assert max(per_nonce.values()) == 1  # ...once
    per_process = Counter(pid for _, pid in sends)
    assert sorted(per_process) == sorted(str(d.pid) for d in drainers)  # both really drained, side by side
    assert sorted(per_process.values()) == sorted(int(out) for out, _ in outputs)
    assert PostedResult.objects.filter(status=PostStatus.POSTED).count() == len(claims)
    assert set(PostedResult.objects.values_list("attempts", flat=True)) == {1}
