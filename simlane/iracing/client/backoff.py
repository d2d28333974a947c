"""The one backoff policy of the client: exponential, capped, with jitter so that workers do not retry in step."""

from __future__ import annotations

import random


def backoff_delay(attempt: int, *, base: float, cap: float) -> float:
    """Seconds to wait before retry ``attempt`` (1-based): ``base·2^(attempt-1)`` capped, scaled by 0.5–1.0."""
    return float(min(cap, base * 2 ** (attempt - 1)) * random.uniform(0.5, 1.0))
