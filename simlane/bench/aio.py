"""The async side of the benchmarks' ORM boundary: awaitable facades over :mod:`simlane.bench.db`."""

from __future__ import annotations

from asgiref.sync import sync_to_async

from . import db

results_reset = sync_to_async(db.results_reset)
posts_waiting = sync_to_async(db.posts_waiting)
drivers_searched = sync_to_async(db.drivers_searched)
subsessions_stored = sync_to_async(db.subsessions_stored)
posted_keys = sync_to_async(db.posted_keys)
matching_club_setup = sync_to_async(db.matching_club_setup)
discord_servers_seed = sync_to_async(db.discord_servers_seed)
