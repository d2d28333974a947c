"""The async side of the clubs ORM boundary: awaitable facades over selectors and services, for the bot."""

from __future__ import annotations

from asgiref.sync import sync_to_async

from . import services

club_seen = sync_to_async(services.club_seen)
