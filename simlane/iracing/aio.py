"""The async side of the iRacing app's ORM boundary: the bot, the syncs, the token store and the cache call these.

Nothing else touches the ORM (or Django's cache, which may be a database table) from async code.
"""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.core.cache import cache

from . import selectors, state
from .sync import guide, reference, seasons, subsessions, upsert, weather

reference_data_exists = sync_to_async(selectors.reference_data_exists)
series_search = sync_to_async(selectors.series_search)
series_get = sync_to_async(selectors.series_get)
race_weeks_around = sync_to_async(selectors.race_weeks_around)
upcoming_sessions = sync_to_async(selectors.upcoming_sessions)
car_names = sync_to_async(selectors.car_names)
subsession_payload = sync_to_async(subsessions.subsession_payload)
subsession_store = sync_to_async(subsessions.subsession_store)

bulk_upsert = sync_to_async(upsert.bulk_upsert)
link_class_cars = sync_to_async(reference.link_class_cars)
missing_track_ids = sync_to_async(seasons.missing_track_ids)
tracks_store = sync_to_async(seasons.tracks_store)
write_seasons = sync_to_async(seasons.write_seasons)
season_raw = sync_to_async(seasons.season_raw)
past_seasons_store = sync_to_async(seasons.past_seasons_store)
weeks_needing_forecast = sync_to_async(weather.weeks_needing_forecast)
forecast_save = sync_to_async(weather.forecast_save)
store_guide = sync_to_async(guide.store_guide)

token_state_get = sync_to_async(state.token_state_get)
token_state_save = sync_to_async(state.token_state_save)
token_lease_take = sync_to_async(state.token_lease_take)
token_lease_release = sync_to_async(state.token_lease_release)
api_call_record = sync_to_async(state.api_call_record)
cache_get = sync_to_async(cache.get)
cache_set = sync_to_async(cache.set)
