"""The car, car class and track services (the catalogue) and the ``constants/*`` lists."""

from __future__ import annotations

from .base import Reply, Route, Routes


class CatalogRoutes(Routes):
    """Cars, car classes and tracks; constants answer directly, without a link."""

    def routes(self) -> dict[str, Route]:
        return {
            "car/get": lambda p, now: Reply("link", self.payloads.cars()),
            "carclass/get": lambda p, now: Reply("link", self.payloads.car_classes()),
            "track/get": lambda p, now: Reply("link", self.payloads.tracks()),
            "constants/categories": lambda p, now: Reply(
                "direct",
                [
                    {"label": label, "value": i + 1}
                    for i, label in enumerate(["Oval", "Road", "Dirt Oval", "Dirt Road", "Sports Car", "Formula Car"])
                ],
            ),
            "constants/divisions": lambda p, now: Reply(
                "direct",
                [
                    {"label": "ALL", "value": -1},
                    *({"label": f"Division {i + 1}", "value": i} for i in range(10)),
                    {"label": "Rookie", "value": 10},
                ],
            ),
            "constants/event_types": lambda p, now: Reply(
                "direct",
                [
                    {"label": label, "value": v}
                    for label, v in (("Practice", 2), ("Qualify", 3), ("Time Trial", 4), ("Race", 5))
                ],
            ),
        }
