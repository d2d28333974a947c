"""Cars, car classes (with their cars), tracks and series from iRacing into the database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from ..models import Car, CarClass, Series, Track
from .upsert import Counts


def car_fields(i: dict[str, Any]) -> dict[str, Any]:
    return {
        "car_id": i["car_id"],
        "name": i.get("car_name", "")[:200],
        "abbreviation": (i.get("car_name_abbreviated") or "")[:50],
        "categories": i.get("categories") or [],
        "hp": i.get("hp"),
        "retired": bool(i.get("retired")),
    }


def class_fields(i: dict[str, Any]) -> dict[str, Any]:
    return {
        "car_class_id": i["car_class_id"],
        "name": i.get("name", "")[:200],
        "short_name": (i.get("short_name") or "")[:100],
        "relative_speed": i.get("relative_speed"),
        "car_ids": sorted(c["car_id"] for c in i.get("cars_in_class") or []),
    }


def track_fields(i: dict[str, Any]) -> dict[str, Any]:
    return {
        "track_id": i["track_id"],
        "name": i.get("track_name", "")[:200],
        "config_name": (i.get("config_name") or "")[:200],
        "category": (i.get("category") or "")[:50],
        "length_miles": i.get("track_config_length"),
        "time_zone": (i.get("time_zone") or "")[:64],
        "retired": bool(i.get("retired")),
    }


def series_fields(i: dict[str, Any]) -> dict[str, Any]:
    return {
        "series_id": i["series_id"],
        "name": i.get("series_name", "")[:200],
        "short_name": (i.get("series_short_name") or "")[:100],
        "category": (i.get("category") or "")[:50],
        "allowed_licenses": i.get("allowed_licenses") or [],
        "min_starters": i.get("min_starters"),
        "max_starters": i.get("max_starters"),
    }


TABLES: list[tuple[str, type[Any], str, Callable[[dict[str, Any]], dict[str, Any]]]] = [
    ("car/get", Car, "car_id", car_fields),
    ("carclass/get", CarClass, "car_class_id", class_fields),
    ("track/get", Track, "track_id", track_fields),
    ("series/get", Series, "series_id", series_fields),
]


@dataclass
class SyncSummary:
    counts: dict[str, Counts] = field(default_factory=dict)
    api_calls: int = 0
    cache_hits: int = 0

    @property
    def total(self) -> Counts:
        out = Counts()
        for c in self.counts.values():
            out += c
        return out


def link_class_cars() -> int:
    """Point each class's ``cars`` at its ``car_ids``, rewriting only the classes whose list changed."""
    through = CarClass.cars.through
    current: dict[int, set[int]] = {}
    for class_pk, car_row in through.objects.values_list("carclass_id", "car_id"):
        current.setdefault(class_pk, set()).add(car_row)
    car_pk: dict[int, int] = dict(Car.objects.values_list("car_id", "id"))
    changed = 0
    stale, rows = [], []
    for pk, car_ids in CarClass.objects.values_list("id", "car_ids"):
        wanted = {car_pk[c] for c in car_ids if c in car_pk}
        if wanted != current.get(pk, set()):
            changed += 1
            stale.append(pk)
            rows += [through(carclass_id=pk, car_id=c) for c in wanted]
    with transaction.atomic():
        if stale:
            through.objects.filter(carclass_id__in=stale).delete()
        through.objects.bulk_create(rows, batch_size=500)
    return changed
