"""The weather forecast chart: air temperature (line, °C) and rain chance (bars, %) over the race's forecast."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image, ImageDraw, ImageFont

W, H, PAD_L, PAD_R, PAD_T, PAD_B = 800, 320, 56, 56, 36, 40
BG, GRID, TEMP, RAIN, TEXT = (47, 49, 54), (80, 83, 90), (240, 140, 60), (90, 160, 240), (220, 221, 222)


def forecast_png(points: list[dict[str, Any]], *, title: str) -> bytes | None:
    """A PNG of the forecast's key frames (scaled integers: air_temp 1/100 °C, precip_chance 1/100 %), or None."""
    rows = [p for p in points if p.get("air_temp") is not None and p.get("time_offset") is not None]
    if len(rows) < 2:
        return None
    xs = [int(p["time_offset"]) for p in rows]
    temps: list[float] = [float(p["air_temp"]) / 100 for p in rows]
    rain: list[float] = [float(p.get("precip_chance") or 0) / 100 for p in rows]
    x0, x1 = min(xs), max(xs)
    t_lo, t_hi = min(temps) - 1, max(temps) + 1
    img = Image.new("RGB", (W, H), BG)
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default()

    def px(x: float) -> float:
        return float(PAD_L + (x - x0) / max(1, x1 - x0) * (W - PAD_L - PAD_R))

    def py_temp(t: float) -> float:
        return H - PAD_B - (t - t_lo) / (t_hi - t_lo) * (H - PAD_T - PAD_B)

    def py_rain(r: float) -> float:
        return H - PAD_B - r / 100 * (H - PAD_T - PAD_B)

    for i in range(5):  # grid with both scales
        y = PAD_T + i * (H - PAD_T - PAD_B) / 4
        draw.line([(PAD_L, y), (W - PAD_R, y)], fill=GRID)
        draw.text((6, y - 6), f"{t_hi - i * (t_hi - t_lo) / 4:5.1f}°C", fill=TEMP, font=font)
        draw.text((W - PAD_R + 6, y - 6), f"{100 - i * 25:3d}%", fill=RAIN, font=font)
    bar = max(2.0, (W - PAD_L - PAD_R) / len(rows) * 0.6)
    for x, r in zip(xs, rain, strict=True):
        if r > 0:
            draw.rectangle([px(x) - bar / 2, py_rain(r), px(x) + bar / 2, H - PAD_B], fill=RAIN)
    draw.line([(px(x), py_temp(t)) for x, t in zip(xs, temps, strict=True)], fill=TEMP, width=3)
    draw.text((PAD_L, 10), title[:90], fill=TEXT, font=font)
    for x in (x0, (x0 + x1) // 2, x1):
        draw.text((px(x) - 20, H - PAD_B + 8), f"{x / 60:+.0f} h", fill=TEXT, font=font)
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()
