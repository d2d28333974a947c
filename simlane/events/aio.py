"""The async side of the events ORM boundary: the bot's cog, card buttons, modal and sync call these only."""

from __future__ import annotations

from asgiref.sync import sync_to_async

from . import actors, card_data, selectors
from .services import discord as discord_services
from .services import events as event_services
from .services import signups as signup_services

actor_for_discord = sync_to_async(actors.actor_for_discord)
card_snapshot = sync_to_async(card_data.card_snapshot)
card_recorded = sync_to_async(discord_services.card_recorded)
card_forgotten = sync_to_async(discord_services.card_forgotten)
promotions_to_announce = sync_to_async(discord_services.promotions_to_announce)
promotions_announced = sync_to_async(discord_services.promotions_announced)
event_create = sync_to_async(event_services.event_create)
event_cancel = sync_to_async(event_services.event_cancel)
signup_save = sync_to_async(signup_services.signup_save)
signup_withdraw_mine = sync_to_async(signup_services.signup_withdraw_mine)
event_list = sync_to_async(selectors.event_list)
event_search = sync_to_async(selectors.event_search)
event_view = sync_to_async(selectors.event_view)
signup_form = sync_to_async(selectors.signup_form)
track_search = sync_to_async(selectors.track_search)
car_class_search = sync_to_async(selectors.car_class_search)
official_week = sync_to_async(selectors.official_week)
club_of_guild = sync_to_async(selectors.club_of_guild)
