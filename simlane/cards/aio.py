"""The async side of the cards app's ORM boundary."""

from __future__ import annotations

from asgiref.sync import sync_to_async

from . import digest, selectors, services

card_choices = sync_to_async(selectors.card_choices)
highlights_due = sync_to_async(selectors.highlights_due)
previous_best_lap = sync_to_async(selectors.previous_best_lap)
card_settings_set = sync_to_async(services.card_settings_set)
highlights_set = sync_to_async(services.highlights_set)
highlight_claim = sync_to_async(services.highlight_claim)
highlight_attempt_begin = sync_to_async(services.highlight_attempt_begin)
highlight_finish = sync_to_async(services.highlight_finish)
digests_claim = sync_to_async(digest.digests_claim)
digests_due = sync_to_async(digest.digests_due)
digest_for = sync_to_async(digest.digest_for)
digest_attempt_begin = sync_to_async(services.digest_attempt_begin)
digest_finish = sync_to_async(services.digest_finish)
digest_set = sync_to_async(services.digest_set)
highlight_lease = sync_to_async(services.highlight_lease)
highlight_release = sync_to_async(services.highlight_release)
digest_lease = sync_to_async(services.digest_lease)
digest_release = sync_to_async(services.digest_release)
