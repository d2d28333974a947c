"""Shared pieces of the response models: a tolerant base and unit-carrying integer types.

Models keep unknown fields (``extra="allow"``) and default liberally, because iRacing adds, drops and nulls
fields over time (recorded responses differ in which fields they carry and which are null).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, GetCoreSchemaHandler
from pydantic_core import core_schema


class IRModel(BaseModel):
    """Base of every response model: unknown fields are kept, names are iRacing's."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, frozen=False)


class _IntUnit(int):
    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(
            cls, core_schema.int_schema(), serialization=core_schema.plain_serializer_function_ser_schema(int)
        )


class LapTime(_IntUnit):
    """A duration as iRacing sends it: an integer in 1/10000 s; -1 (or any negative) means none."""

    @property
    def seconds(self) -> float | None:
        return None if self < 0 else self / 10_000

    def format(self) -> str:
        """Format as ``m:ss.mmm`` (or ``ss.mmm`` under a minute); ``—`` when there is no time."""
        if self < 0:
            return "—"
        millis = (int(self) + 5) // 10
        minutes, rest = divmod(millis, 60_000)
        secs, ms = divmod(rest, 1000)
        return f"{minutes}:{secs:02d}.{ms:03d}" if minutes else f"{secs}.{ms:03d}"


class Position0(_IntUnit):
    """A 0-based position as ``results/get`` sends it (winner = 0); -1 means not applicable."""

    @property
    def ordinal(self) -> int | None:
        """The 1-based position people read (P1 for the winner), or None."""
        return None if self < 0 else int(self) + 1


class SafetyRating100(_IntUnit):
    """A safety rating times 100 (``new_sub_level`` 337 means 3.37); -1 means none."""

    @property
    def value(self) -> float | None:
        return None if self < 0 else self / 100


Timestamp = datetime  # ISO-8601 UTC with Z; Python ≥ 3.11 parses the 9 fractional digits iRacing sometimes sends.


class Helmet(IRModel):
    pattern: int | None = None
    color1: str | None = None
    color2: str | None = None
    color3: str | None = None
    face_type: int | None = None
    helmet_type: int | None = None


class TrackRef(IRModel):
    track_id: int
    track_name: str | None = None
    config_name: str | None = None
    category: str | None = None
    category_id: int | None = None

    @property
    def full_name(self) -> str:
        name = self.track_name or f"Track {self.track_id}"
        config = (self.config_name or "").strip()
        return f"{name} — {config}" if config and config.upper() != "N/A" else name
