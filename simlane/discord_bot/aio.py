"""The async side of the bot's ORM boundary (see simlane/results/aio.py for why it is one module)."""

from __future__ import annotations

from asgiref.sync import sync_to_async

from . import selectors, services

guild_admin_role_get = sync_to_async(selectors.guild_admin_role_get)
guild_admin_role_set = sync_to_async(services.guild_admin_role_set)
guild_followed_series = sync_to_async(selectors.guild_followed_series)
guild_followed_series_named = sync_to_async(selectors.guild_followed_series_named)
guild_series_follow = sync_to_async(services.guild_series_follow)
guild_series_unfollow = sync_to_async(services.guild_series_unfollow)
