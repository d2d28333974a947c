"""``simlane results render --file RESULTS_GET.json --cust-id N [--json] [--png OUT.png [--laps LAP_CHART.json]]``:
preview a result embed, and draw its race card from a saved payload (charts when the lap chart is given too)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from pydantic import TypeAdapter, ValidationError

from simlane.cards.render import card_png
from simlane.core.errors import ApplicationError
from simlane.iracing.client.models import SubsessionResult
from simlane.iracing.client.models.results import LapRow
from simlane.results.embeds import embed_as_text, render_result_embed


class Command(BaseCommand):
    help = "Results bot tools. `render` prints the embed that would be posted for a driver."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        render = sub.add_parser("render", help="render the result embed from a saved results/get payload")
        render.add_argument("--file", type=Path, required=True, help="a results/get JSON file")
        render.add_argument("--cust-id", type=int, required=True, help="the driver's iRacing customer id")
        render.add_argument("--json", action="store_true", help="print the Discord embed payload as JSON")
        render.add_argument("--png", type=Path, help="also draw the race card into this PNG file")
        render.add_argument("--laps", type=Path, help="a results/lap_chart_data JSON file: the card gets its charts")
        render.add_argument("--theme", choices=["dark", "light"], default="dark", help="the card's colours")

    def handle(self, *args: Any, **opts: Any) -> None:
        path: Path = opts["file"]
        raw = _json(path)
        try:
            result = SubsessionResult.model_validate(raw)
        except ValidationError as exc:
            raise CommandError(f"{path} is not a results/get payload ({exc.error_count()} problems)") from None
        try:
            embed = render_result_embed(result, opts["cust_id"])
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        if opts["json"]:
            self.stdout.write(json.dumps(embed, indent=2, ensure_ascii=False))
        else:
            self.stdout.write(embed_as_text(embed))
        if opts["png"]:
            self._png(result, opts)

    def _png(self, result: SubsessionResult, opts: dict[str, Any]) -> None:
        rows = None
        if opts["laps"]:
            try:
                rows = TypeAdapter(list[LapRow]).validate_python(_json(opts["laps"]))
            except ValidationError as exc:
                raise CommandError(f"{opts['laps']} is not a lap chart ({exc.error_count()} problems)") from None
        png = card_png(result, opts["cust_id"], rows=rows, theme=opts["theme"])
        out: Path = opts["png"]
        try:
            out.write_bytes(png)
        except OSError as exc:
            raise CommandError(f"cannot write {out}: {exc.strerror}") from None
        self.stderr.write(f"Race card: {out} ({len(png) // 1024} KB)")


def _json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CommandError(f"no such file: {path}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise CommandError(f"{path} is not JSON: {exc}") from None
