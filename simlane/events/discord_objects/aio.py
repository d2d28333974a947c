"""The async side of the event reconciler's ORM boundary: the bot calls these and nothing else."""

from __future__ import annotations

from asgiref.sync import sync_to_async

from . import selectors, services

event_discord_snapshot = sync_to_async(selectors.event_discord_snapshot)
events_due = sync_to_async(selectors.events_due)
events_blocked = sync_to_async(selectors.events_blocked)
event_object_record = sync_to_async(services.event_object_record)
team_object_record = sync_to_async(services.team_object_record)
team_member_record = sync_to_async(services.team_member_record)
category_record = sync_to_async(services.category_record)
progress_record = sync_to_async(services.progress_record)
status_record = sync_to_async(services.status_record)
