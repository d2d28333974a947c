"""Bulk, idempotent upserts keyed on upstream ids.

One read of (key, hash, active) per table, one ``INSERT … ON CONFLICT DO UPDATE`` per 500 new or changed rows
(SQLite and PostgreSQL both have it), one UPDATE for rows that vanished upstream (marked inactive, never deleted).
A row whose content hash and active flag are unchanged is not written at all, so a second run writes nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.db.models import Q

BATCH = 500


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0

    def __iadd__(self, other: Counts) -> Counts:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.retired += other.retired
        return self

    @property
    def written(self) -> int:
        return self.created + self.updated + self.retired


def content_hash(item: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(item, sort_keys=True, default=str).encode()).hexdigest()


@transaction.atomic
def bulk_upsert(
    model: type[models.Model],
    key: str,
    items: Iterable[dict[str, Any]],
    to_fields: Callable[[dict[str, Any]], dict[str, Any]],
    *,
    retire_missing: bool = True,
    retire_scope: Q | None = None,
) -> Counts:
    """Upsert upstream ``items`` (raw dicts) into ``model`` by ``key``; ``to_fields`` maps an item to columns.

    Rows missing from ``items`` are retired (``active=False``) when ``retire_missing``, limited to ``retire_scope``
    when the listing only covers part of the table (current and future seasons, say).
    """
    counts = Counts()
    existing = {k: (h, a) for k, h, a in model.objects.values_list(key, "content_hash", "active")}  # type: ignore[attr-defined]
    rows = []
    seen = set()
    for item in items:
        fields = to_fields(item)
        k = fields[key]
        seen.add(k)
        h = content_hash(item)
        if existing.get(k) == (h, True):
            counts.unchanged += 1
            continue
        counts.created += k not in existing
        counts.updated += k in existing
        rows.append(model(**fields, content_hash=h, raw=item, active=True))
    if rows:
        update_fields = [f for f in (*rows[0].__dict__.keys(),) if f not in ("_state", "id", key, "created_at")]
        model.objects.bulk_create(  # type: ignore[attr-defined]
            rows, batch_size=BATCH, update_conflicts=True, unique_fields=[key], update_fields=update_fields
        )
    if retire_missing:
        gone = [k for k, (_h, active) in existing.items() if active and k not in seen]
        if gone:
            rows_gone = model.objects.filter(**{f"{key}__in": gone})  # type: ignore[attr-defined]
            counts.retired = (rows_gone.filter(retire_scope) if retire_scope else rows_gone).update(active=False)
    return counts
