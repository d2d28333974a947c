"""``car/get``, ``carclass/get``, ``track/get`` and ``series/get`` payloads."""

from __future__ import annotations

from typing import Any

from ..catalog import CARS, CLASSES, SERIES, TRACKS
from .common import PayloadBase, track_ref


class CatalogPayloads(PayloadBase):
    """The catalogue: the same every run."""

    def cars(self) -> list[dict[str, Any]]:
        return [
            {
                "car_id": c[0],
                "car_name": c[1],
                "car_name_abbreviated": c[2],
                "car_dirpath": c[2].lower(),
                "car_types": [{"car_type": c[2].lower()}],
                "categories": ["road"],
                "hp": 500,
                "car_weight": 1300,
                "retired": False,
                "free_with_subscription": c[0] in (67, 1, 30),
                "rain_enabled": True,
                "ai_enabled": True,
            }
            for c in CARS
        ]

    def car_classes(self) -> list[dict[str, Any]]:
        return [
            {
                "car_class_id": cid,
                "name": name,
                "short_name": short,
                "relative_speed": 50,
                "rain_enabled": True,
                "cust_id": 0,
                "cars_in_class": [
                    {"car_dirpath": c[2].lower(), "car_id": c[0], "rain_enabled": True, "retired": False}
                    for c in CARS
                    if c[3] == cid
                ],
            }
            for cid, (name, short) in CLASSES.items()
        ]

    def tracks(self) -> list[dict[str, Any]]:
        return [
            {
                **track_ref(t.track_id),
                "track_config_length": round(t.length_km * 0.621371, 2),
                "corners_per_lap": 12,
                "is_oval": t.category_id == 1,
                "is_dirt": False,
                "time_zone": t.time_zone,
                "retired": False,
                "package_id": t.track_id,
            }
            for t in TRACKS
        ]

    def series(self) -> list[dict[str, Any]]:
        return [
            {
                "series_id": s.series_id,
                "series_name": s.name,
                "series_short_name": s.short_name,
                "category": "oval" if s.category_id == 1 else "sports_car",
                "category_id": s.category_id,
                "allowed_licenses": [
                    {
                        "group_name": "Rookie",
                        "license_group": 1,
                        "min_license_level": 1,
                        "max_license_level": 20,
                        "parent_id": 0,
                    }
                ],
                "eligible": True,
                "first_season": {"season_year": 2024, "season_quarter": 1},
                "forum_url": "",
                "max_starters": 60,
                "min_starters": 1,
                "oval_caution_type": 0,
                "road_caution_type": 0,
            }
            for s in SERIES
        ]
