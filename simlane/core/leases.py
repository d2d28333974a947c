"""Row leases: the one way several processes share a queue table without sending a row twice.

A queue row (a result post, a highlight, a digest, an event notice) is delivered by whichever process leases it
first. The lease is a timestamp column on the row: a leased row is not due for anyone else, and if the process
holding it dies the row becomes due again when the lease runs out, so a row is never sent by two processes at once
and never dropped.
"""

from __future__ import annotations

from typing import Any

from django.db import connections, transaction
from django.db.models import QuerySet


def lease_take(rows: QuerySet[Any], **lease: Any) -> bool:
    """Lease the one row ``rows`` selects (already narrowed to "this id, claimed and due") by writing ``lease``;
    False when another process has it or it is no longer due.

    PostgreSQL skips a row another transaction is leasing (``FOR UPDATE SKIP LOCKED``) instead of queueing behind
    it; SQLite has one writer at a time, where the conditional UPDATE alone decides who gets the row.
    """
    with transaction.atomic(using=rows.db):
        skip_locked = connections[rows.db].features.has_select_for_update_skip_locked
        if skip_locked and not rows.select_for_update(skip_locked=True).values_list("pk", flat=True):
            return False
        return rows.update(**lease) == 1
