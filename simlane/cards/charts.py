"""Charts drawn with matplotlib (Agg): the weather forecast, position over laps and lap times.

Every function returns PNG bytes and touches no global figure state (each builds its own ``Figure``), so charts
render safely in worker threads.
"""

from __future__ import annotations

import io
from typing import Any

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from PIL import Image

from .fonts import use_in_matplotlib
from .laps import RaceLaps
from .theme import Theme, theme_for

TEMP, RAIN = "#f08c3c", "#5aa0f0"
DRIVER, OTHERS, PIT, INCIDENT = "#f5c542", "#7f8794", "#5aa0f0", "#e74c3c"
STINTS = ["#f5c542", "#4fc3f7", "#ba68c8", "#81c784", "#ff8a65", "#f06292"]


def _figure(theme: Theme, width: float, height: float, dpi: int) -> tuple[Figure, Axes]:
    use_in_matplotlib()
    fig = Figure(figsize=(width, height), dpi=dpi, facecolor=theme.panel_hex)
    ax = fig.add_subplot(1, 1, 1)
    ax.set_facecolor(theme.panel_hex)
    for spine in ax.spines.values():
        spine.set_color(theme.grid_hex)
    ax.tick_params(colors=theme.muted_hex, labelsize=11)
    ax.grid(True, color=theme.grid_hex, linewidth=0.8, alpha=0.8)
    return fig, ax


def _png(fig: Figure) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", facecolor=fig.get_facecolor())
    return out.getvalue()


def _image(fig: Figure) -> Image.Image:
    """The drawn figure as a Pillow image, straight from Agg's buffer (no PNG round trip inside a card)."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()  # type: ignore[no-untyped-call]
    rgba = canvas.buffer_rgba()  # type: ignore[no-untyped-call]
    return Image.frombuffer("RGBA", canvas.get_width_height(), rgba).convert("RGB")


def _margins(fig: Figure, size: tuple[int, int]) -> None:
    """Fixed margins in pixels (tight_layout would draw the figure twice to measure it)."""
    w, h = size
    fig.subplots_adjust(left=78 / w, right=1 - 16 / w, top=1 - 14 / h, bottom=66 / h)


def forecast_png(points: list[dict[str, Any]], *, title: str, theme: str = "dark") -> bytes | None:
    """The forecast's key frames (scaled integers: air_temp 1/100 °C, precip_chance 1/100 %), or None."""
    rows = [p for p in points if p.get("air_temp") is not None and p.get("time_offset") is not None]
    if len(rows) < 2:
        return None
    t = theme_for(theme)
    hours = [int(p["time_offset"]) / 60 for p in rows]
    temps = [float(p["air_temp"]) / 100 for p in rows]
    rain = [float(p.get("precip_chance") or 0) / 100 for p in rows]
    fig, ax = _figure(t, 8, 3.2, 100)
    ax.plot(hours, temps, color=TEMP, linewidth=2.5)
    ax.set_ylabel("°C", color=TEMP)
    rain_ax = ax.twinx()
    width = (max(hours) - min(hours)) / len(hours) * 0.6 or 0.1
    rain_ax.bar(hours, rain, width=width, color=RAIN, alpha=0.55)
    rain_ax.set_ylim(0, 100)
    rain_ax.set_ylabel("rain %", color=RAIN)
    rain_ax.tick_params(colors=t.muted_hex, labelsize=11)
    ax.set_zorder(rain_ax.get_zorder() + 1)
    ax.patch.set_visible(False)
    ax.set_xlabel("hours from the race start", color=t.muted_hex)
    ax.set_title(title[:90], color=t.text_hex, loc="left", fontsize=13)
    fig.tight_layout()
    return _png(fig)


def position_chart(
    laps: RaceLaps, group_id: int, *, theme: str = "dark", size: tuple[int, int] = (600, 320)
) -> Image.Image:
    """Position over laps: the driver (or team) in its class against the rest of the class; pits and incidents."""
    t = theme_for(theme)
    fig, ax = _figure(t, size[0] / 100, size[1] / 100, 100)
    positions = laps.class_positions()
    for other, series in positions.items():
        if other != group_id and laps.class_of(other) == laps.class_of(group_id):
            ax.plot(*zip(*series, strict=True), color=OTHERS, linewidth=1, alpha=0.35)
    own = positions.get(group_id, [])
    if own:
        ax.plot(*zip(*own, strict=True), color=DRIVER, linewidth=2.8)
        by_lap = dict(own)
        pits = [(n, by_lap[n]) for n in laps.pit_laps(group_id) if n in by_lap]
        incidents = [(n, by_lap[n]) for n in laps.incident_laps(group_id) if n in by_lap]
        if pits:
            ax.scatter([n for n, _ in pits], [p for _, p in pits], marker="s", s=60, color=PIT, zorder=3, label="pit")
        if incidents:
            xs, ys = [n for n, _ in incidents], [p for _, p in incidents]
            ax.scatter(xs, ys, marker="x", s=60, color=INCIDENT, zorder=3, label="incident")
        if pits or incidents:
            legend = ax.legend(loc="lower right", fontsize=10, facecolor=t.panel_hex, edgecolor=t.grid_hex)
            for text in legend.get_texts():
                text.set_color(t.text_hex)
    cars = sum(1 for g in positions if laps.class_of(g) == laps.class_of(group_id))
    ax.set_ylim(cars + 0.5, 0.5)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("class position" if laps.multiclass else "position", color=t.muted_hex, fontsize=11)
    ax.set_xlabel("lap", color=t.muted_hex, fontsize=11)
    _margins(fig, size)
    return _image(fig)


def lap_times_chart(
    laps: RaceLaps, group_id: int, *, theme: str = "dark", size: tuple[int, int] = (600, 320)
) -> Image.Image:
    """Lap times of the driver (or of each driver's stints in a team), pit laps left out of the scale."""
    t = theme_for(theme)
    fig, ax = _figure(t, size[0] / 100, size[1] / 100, 100)
    rows = laps.timed_laps(group_id)
    pits = set(laps.pit_laps(group_id))
    clean = [r for r in rows if r.lap_number not in pits]
    drivers = list(dict.fromkeys(r.driver for r in rows))
    for i, driver in enumerate(drivers):
        mine = [r for r in clean if r.driver == driver]
        if mine:
            label = driver if len(drivers) > 1 else None
            ax.plot(
                [r.lap_number for r in mine],
                [r.seconds for r in mine],
                marker="o",
                markersize=3,
                linewidth=1.6,
                color=STINTS[i % len(STINTS)],
                label=label,
            )
    if clean:
        fastest = min(clean, key=lambda r: r.seconds)
        ax.scatter([fastest.lap_number], [fastest.seconds], s=90, color="#b388ff", zorder=3)
        ax.yaxis.set_major_formatter(lambda v, _p: f"{int(v // 60)}:{v % 60:04.1f}")
    if len(drivers) > 1:
        legend = ax.legend(loc="upper right", fontsize=10, facecolor=t.panel_hex, edgecolor=t.grid_hex)
        for text in legend.get_texts():
            text.set_color(t.text_hex)
    ax.set_ylabel("lap time", color=t.muted_hex, fontsize=11)
    ax.set_xlabel("lap", color=t.muted_hex, fontsize=11)
    _margins(fig, size)
    return _image(fig)
