"""The async side of the clubs ORM boundary: awaitable facades over selectors and services, for the bot."""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.core.cache import cache

from . import membersync, proposals, selectors, services

club_for_guild = sync_to_async(selectors.club_for_guild)
linked_accounts = sync_to_async(selectors.linked_accounts)
club_league_id = sync_to_async(selectors.club_league_id)
members_to_match = sync_to_async(selectors.members_to_match)
member_sync_latest = sync_to_async(selectors.member_sync_latest)
member_proposals = sync_to_async(selectors.member_proposals)
member_conflicts = sync_to_async(selectors.member_conflicts)
member_proposal_of = sync_to_async(selectors.member_proposal_of)

club_seen = sync_to_async(services.club_seen)
club_mark_inactive = sync_to_async(services.club_mark_inactive)
member_sync_full = sync_to_async(membersync.member_sync_full)
member_sync_failed = sync_to_async(membersync.member_sync_failed)
member_sync_matched = sync_to_async(membersync.member_sync_matched)
member_live_upsert = sync_to_async(membersync.member_live_upsert)
member_live_leave = sync_to_async(membersync.member_live_leave)

proposals_store = sync_to_async(proposals.proposals_store)
proposal_confirm = sync_to_async(proposals.proposal_confirm)
proposal_reject = sync_to_async(proposals.proposal_reject)

# The driver-lookup cache the matcher shares across runs and processes (Django's cache: files or Redis).
cache_get = sync_to_async(cache.get)
cache_set = sync_to_async(cache.set)
