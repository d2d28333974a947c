"""The async side of the bot-health ORM boundary: the bot's health extension calls these and nothing else."""

from __future__ import annotations

from asgiref.sync import sync_to_async

from . import services

health_record = sync_to_async(services.health_record)
health_heartbeat = sync_to_async(services.health_heartbeat)
health_mark_disconnected = sync_to_async(services.health_mark_disconnected)
