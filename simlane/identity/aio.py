"""The async side of the identity app's ORM boundary: what async code (the results pipeline) may call."""

from __future__ import annotations

from asgiref.sync import sync_to_async

from . import services

ratings_seen = sync_to_async(services.ratings_seen)
