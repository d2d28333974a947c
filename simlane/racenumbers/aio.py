"""The async side of the car-numbers ORM boundary: awaitable facades over selectors, services and the sync."""

from __future__ import annotations

from asgiref.sync import sync_to_async

from . import selectors, services, sync

number_config_get = sync_to_async(selectors.number_config_get)
claim_list = sync_to_async(selectors.claim_list)
claim_holder = sync_to_async(selectors.claim_holder)
member_claims = sync_to_async(selectors.member_claims)
number_history = sync_to_async(selectors.number_history)
available_numbers = sync_to_async(selectors.available_numbers)
links_by_user = sync_to_async(selectors.links_by_user)
link_get = sync_to_async(selectors.link_get)
audit_entries = sync_to_async(selectors.audit_entries)
configs_due_for_sync = sync_to_async(selectors.configs_due_for_sync)

number_config_update = sync_to_async(services.number_config_update)
number_claim = sync_to_async(services.number_claim)
number_release = sync_to_async(services.number_release)
number_force_release = sync_to_async(services.number_force_release)
member_link = sync_to_async(services.member_link)
trade_offer = sync_to_async(services.trade_offer)
trade_answer = sync_to_async(services.trade_answer)
trade_expire_due = sync_to_async(services.trade_expire_due)
roster_reconcile = sync_to_async(sync.roster_reconcile)
member_link_verify = sync_to_async(services.member_link_verify)
member_link_remove = sync_to_async(services.member_link_remove)
member_left = sync_to_async(services.member_left)
