"""The async side of the results app's ORM boundary: awaitable facades over its selectors and services.

Cogs, the poller and the outbox run on the event loop; they call these and nothing else touches the ORM from
async code. ``sync_to_async`` runs every call on one thread, so SQLite sees one writer at a time.
"""

from __future__ import annotations

from asgiref.sync import sync_to_async

from . import partitions, selectors, services

results_config_get = sync_to_async(selectors.results_config_get)
tracked_driver_list = sync_to_async(selectors.tracked_driver_list)
tracked_driver_get = sync_to_async(selectors.tracked_driver_get)
known_drivers = sync_to_async(selectors.known_drivers)
subscriptions_by_driver = sync_to_async(selectors.subscriptions_by_driver)
subscriptions_version = sync_to_async(selectors.subscriptions_version)
poll_states = sync_to_async(selectors.poll_states)
posts_due = sync_to_async(selectors.posts_due)
post_lease = sync_to_async(services.post_lease)
posts_pending_count = sync_to_async(selectors.posts_pending_count)
claimed_guilds = sync_to_async(selectors.claimed_guilds)

tracked_driver_add = sync_to_async(services.tracked_driver_add)
tracked_drivers_remove = sync_to_async(services.tracked_drivers_remove)
tracked_drivers_remove_added_by = sync_to_async(services.tracked_drivers_remove_added_by)
tracked_per_member_set = sync_to_async(services.tracked_per_member_set)
results_channel_set = sync_to_async(services.results_channel_set)
results_mode_set = sync_to_async(services.results_mode_set)
results_config_mark_broken = sync_to_async(services.results_config_mark_broken)
posts_claim = sync_to_async(services.posts_claim)
post_attempt_begin = sync_to_async(services.post_attempt_begin)
post_mark_posted = sync_to_async(services.post_mark_posted)
post_defer = sync_to_async(services.post_defer)
post_fail = sync_to_async(services.post_fail)
poll_states_save = sync_to_async(services.poll_states_save)

partition_take = sync_to_async(partitions.partition_take)
partition_release = sync_to_async(partitions.partition_release)
