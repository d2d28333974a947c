"""Replay mode: serve a directory of recorded, already-resolved responses (``service.method.json``).

The files hold what a client ends up with (links followed, chunks concatenated), like the real responses in
``RECORDED_DIR`` (``simlane/iracing/recorded``, shipped as package data). The simulator wraps them in the same
indirections as the live service: links for most endpoints, chunked search headers, ``data_url`` for the roster.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .routes import DataError, Reply

CHUNKED_DIRECT = {"results/search_series", "results/search_hosted"}
CHUNKED_LINK = {"results/lap_data", "results/lap_chart_data", "results/event_log"}
DATA_URL = {"league/roster", "member/awards", "member/award_instances"}
DIRECT = {"constants/categories", "constants/divisions", "constants/event_types"}
# Real iRacing responses recorded by iracingdataapi's tests (MIT, see the LICENSE beside them): the recorded
# responses the tests, the replay mode and `simlane bench sync` read.
RECORDED_DIR = Path(__file__).resolve().parents[1] / "recorded"
# The recorded files are named after iracingdataapi's methods; these are the endpoints they answer.
RECORDED_NAMES = {
    "get_cars": "car/get",
    "get_carclasses": "carclass/get",
    "get_tracks": "track/get",
    "get_series": "series/get",
    "series_season_schedule": "series/season_schedule",
    "series_past_seasons": "series/past_seasons",
    "season_list": "season/list",
    "season_race_guide": "season/race_guide",
    "league_roster": "league/roster",
    "result": "results/get",
}


class ReplayData:
    """Answers /data requests from recorded files; parameters are ignored."""

    def __init__(self, directory: Path) -> None:
        if not directory.is_dir():
            raise FileNotFoundError(f"replay directory {directory} does not exist")
        self.files = {p.stem.replace(".", "/", 1): p for p in directory.glob("*.json")}
        for name, endpoint in RECORDED_NAMES.items():
            if endpoint not in self.files and (directory / f"{name}.json").is_file():
                self.files[endpoint] = directory / f"{name}.json"

    def handle(self, endpoint: str, params: dict[str, str], now: float, *, member: int | None = None) -> Reply:
        """A recording answers as the account that made it, whoever asks (``member`` is not used)."""
        path = self.files.get(endpoint)
        if path is None:
            raise DataError(404, "Not Found")
        payload: Any = json.loads(path.read_text(encoding="utf-8"))
        if endpoint in CHUNKED_DIRECT:
            return Reply("search", payload, endpoint.replace("results/", "") + "_results")
        if endpoint in CHUNKED_LINK:
            return Reply("chunked_link", {"header": {"success": True}, "rows": payload})
        if endpoint in DATA_URL:
            return Reply("data_url", payload, endpoint.split("/")[1])
        if endpoint in DIRECT:
            return Reply("direct", payload)
        return Reply("link", payload)
