"""Query-parameter encoding as the Data API expects it: comma-separated lists, lowercase booleans, ISO-8601 UTC."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any


def encode_value(value: Any) -> str:
    """Encode one value: lowercase booleans, UTC ``...Z`` datetimes, comma-joined lists."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return encode_value(value.value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: pass an aware datetime so the UTC time is unambiguous")
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str | bytes):
        return value.decode() if isinstance(value, bytes) else value
    if isinstance(value, Iterable):
        return ",".join(encode_value(item) for item in value)
    return str(value)


def encode_params(params: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """Encode a parameter mapping; ``None`` drops a parameter, falsy values such as ``0`` and ``False`` stay."""
    if not params:
        return []
    return [(key, encode_value(value)) for key, value in sorted(params.items()) if value is not None]
