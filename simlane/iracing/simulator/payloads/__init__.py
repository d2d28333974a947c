"""JSON payloads shaped like the recorded iRacing responses (field names, nesting, types, 0-based positions)."""

from __future__ import annotations

from .catalog import CatalogPayloads
from .common import CAR_BY_ID, helmet, track_ref
from .results import ResultPayloads
from .seasons import SeasonPayloads

__all__ = ["CAR_BY_ID", "Payloads", "helmet", "track_ref"]


class Payloads(ResultPayloads, CatalogPayloads, SeasonPayloads):
    """Turns the world into endpoint payloads, one mixin per iRacing service."""
