"""The async side of the intents queue's ORM boundary: the bot's drain loop calls these and nothing else."""

from __future__ import annotations

from asgiref.sync import sync_to_async

from . import services

intent_claim_next = sync_to_async(services.intent_claim_next)
intent_done = sync_to_async(services.intent_done)
intent_failed = sync_to_async(services.intent_failed)
intent_retry_later = sync_to_async(services.intent_retry_later)
