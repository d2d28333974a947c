"""Pieces several payloads share: helmets, track references, the car table, and the base every payload mixin has."""

from __future__ import annotations

from typing import Any

from ..catalog import CARS, TRACK_BY_ID
from ..world import World

CAR_BY_ID = {c[0]: c for c in CARS}


def helmet(cust_id: int) -> dict[str, Any]:
    return {
        "pattern": cust_id % 60,
        "color1": "2c5ebf",
        "color2": "ffffff",
        "color3": "000000",
        "face_type": 0,
        "helmet_type": 0,
    }


def track_ref(track_id: int) -> dict[str, Any]:
    t = TRACK_BY_ID[track_id]
    return {
        "track_id": t.track_id,
        "track_name": t.track_name,
        "config_name": t.config_name,
        "category_id": t.category_id,
        "category": "oval" if t.category_id == 1 else "sports_car",
    }


class PayloadBase:
    """The world the payloads are built from, and the server's address for absolute links."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.base_url = ""  # set when the server starts, so weather_url links are absolute like iRacing's
