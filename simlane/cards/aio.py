"""The async side of the cards app's ORM boundary."""

from __future__ import annotations

from asgiref.sync import sync_to_async

from . import selectors, services

card_choices = sync_to_async(selectors.card_choices)
card_settings_set = sync_to_async(services.card_settings_set)
