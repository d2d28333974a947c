"""``simlane iracing get ENDPOINT [key=value ...]``: print what iRacing returns, fully resolved."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from simlane.iracing.client import IRacingError
from simlane.iracing.services import run_with_client


class Command(BaseCommand):
    help = (
        "Query the iRacing Data API with the configured credentials and print the resolved JSON "
        "(links followed, chunks joined). Example: simlane iracing get results/get subsession_id=82263872"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        get = sub.add_parser("get", help="GET one /data endpoint and print its resolved JSON")
        get.add_argument("endpoint", help="for example results/get, lookup/drivers, season/race_guide")
        get.add_argument("params", nargs="*", metavar="key=value", help="query parameters, e.g. cust_id=123")
        get.add_argument("--compact", action="store_true", help="one line of JSON instead of indented")

    def handle(self, *args: Any, **opts: Any) -> None:
        params: dict[str, str] = {}
        for item in opts["params"]:
            key, sep, value = item.partition("=")
            if not sep or not key:
                raise CommandError(f"parameter {item!r} is not key=value")
            params[key] = value
        try:
            body = run_with_client(lambda client: client.get(opts["endpoint"], params))
        except IRacingError as exc:
            raise CommandError(f"{type(exc).__name__}: {exc}") from None
        indent = None if opts["compact"] else 2
        self.stdout.write(json.dumps(body, indent=indent, ensure_ascii=False))
