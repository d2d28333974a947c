"""``simlane bench render``: race cards drawn from the recorded real results and from simulated races.

Measured per group: render time (card with its charts, p50/p95/max, one worker thread as the bot uses) and PNG
size against Discord's 10 MiB attachment limit.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from simlane.cards.render import card_png
from simlane.cards.samples import MULTICLASS, SOLO, TEAM, Sample, recorded, simulated

DISCORD_LIMIT = 10 * 1024 * 1024


@dataclass
class RenderStats:
    name: str
    seconds: list[float] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)

    def pct(self, q: int) -> float:
        if len(self.seconds) < 2:
            return self.seconds[0] if self.seconds else float("nan")
        return statistics.quantiles(self.seconds, n=100, method="inclusive")[q - 1]


def samples(races: int) -> dict[str, list[Sample]]:
    """The recorded results (each finisher position a little apart) and ``races`` simulated races per kind."""
    real = [recorded("result", p) for p in (0, 3, 12, 25)] + [recorded("result_with_team", p) for p in (0, 10)]
    real += [recorded("result_with_licenses", 2)]
    sim = [simulated(kind, position) for kind in (SOLO, MULTICLASS, TEAM) for position in range(races)]
    return {"recorded": real, "simulated": sim}


def run_render_bench(*, races: int = 5, repeat: int = 3, progress: Callable[[str], None] = print) -> list[RenderStats]:
    out = []
    warm = recorded("result")
    card_png(warm.result, warm.cust_id, rows=warm.rows)  # first use loads fonts and matplotlib: paid once
    for name, group in samples(races).items():
        stats = RenderStats(name)
        for sample in group:
            for _ in range(repeat):
                started = time.perf_counter()
                png = card_png(sample.result, sample.cust_id, rows=sample.rows)
                stats.seconds.append(time.perf_counter() - started)
            stats.sizes.append(len(png))
        progress(f"  {name}: {len(group)} cards × {repeat}")
        out.append(stats)
    return out
