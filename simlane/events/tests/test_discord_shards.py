"""The bot's tick with several bot processes: each looks only at its own shards' servers' events, so a backlog on
another shard (events it cannot reach: their servers are not in its cache) never crowds its own out."""

from __future__ import annotations

from datetime import timedelta

import pytest

from simlane.events.discord_objects.selectors import events_due
from simlane.events.models import EventDiscordProgress

from . import factories
from .factories import NOW

pytestmark = pytest.mark.django_db


def test_the_tick_of_a_sharded_process_sees_its_own_servers_due_events_behind_another_shards_backlog():
    other_shard = factories.club(guild_id=3 << 22, name="Odd")  # shard 1 of 2
    own_shard = factories.club(guild_id=2 << 22, name="Even")  # shard 0 of 2
    backlog = [factories.event(other_shard, title=f"Odd {i}").id for i in range(5)]
    mine = factories.event(own_shard, title="Even").id
    for i, event_id in enumerate([*backlog, mine]):  # the other shard's events fell due first
        EventDiscordProgress.objects.update_or_create(
            event_id=event_id, defaults={"next_due_at": NOW - timedelta(hours=1) + timedelta(minutes=i)}
        )

    assert events_due(now=NOW, limit=3, shards=(2, frozenset({0}))) == [mine]
    assert events_due(now=NOW, limit=3, shards=(2, frozenset({1}))) == backlog[:3]
    assert events_due(now=NOW, limit=10) == [*backlog, mine]  # an unsharded process holds every server
