"""The async side of the iRacing app's ORM boundary (for the bot)."""

from __future__ import annotations

from asgiref.sync import sync_to_async

from . import selectors
from .sync import subsessions

reference_data_exists = sync_to_async(selectors.reference_data_exists)
series_search = sync_to_async(selectors.series_search)
series_get = sync_to_async(selectors.series_get)
race_weeks_around = sync_to_async(selectors.race_weeks_around)
upcoming_sessions = sync_to_async(selectors.upcoming_sessions)
subsession_payload = sync_to_async(subsessions.subsession_payload)
subsession_store = sync_to_async(subsessions.subsession_store)
