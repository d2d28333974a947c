"""``simlane results render --file RESULTS_GET.json --cust-id N [--json]``: preview a result embed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from pydantic import ValidationError

from simlane.core.errors import ApplicationError
from simlane.iracing.client.models import SubsessionResult
from simlane.results.embeds import embed_as_text, render_result_embed


class Command(BaseCommand):
    help = "Results bot tools. `render` prints the embed that would be posted for a driver."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        render = sub.add_parser("render", help="render the result embed from a saved results/get payload")
        render.add_argument("--file", type=Path, required=True, help="a results/get JSON file")
        render.add_argument("--cust-id", type=int, required=True, help="the driver's iRacing customer id")
        render.add_argument("--json", action="store_true", help="print the Discord embed payload as JSON")

    def handle(self, *args: Any, **opts: Any) -> None:
        path: Path = opts["file"]
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CommandError(f"no such file: {path}") from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path} is not JSON: {exc}") from None
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
