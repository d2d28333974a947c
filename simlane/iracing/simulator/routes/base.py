"""What every route module shares: the reply shapes, the error iRacing answers with, parameter parsing, and the
context (world, payloads, league races) the routes read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..leagues import LeagueRaces
from ..payloads import Payloads
from ..world import Session, World


class DataError(Exception):
    def __init__(self, status: int, error: str) -> None:
        super().__init__(error)
        self.status = status
        self.error = error


@dataclass
class Reply:
    """``shape``: link | direct | search | chunked_link | data_url."""

    shape: str
    payload: Any
    kind: str = ""  # the "type" of search/data_url replies


Route = Callable[[dict[str, str], float], Reply]


def ascii_int(value: str) -> int:
    """An integer written in ASCII digits (optionally negative, as team ids are), else a 400.

    Python's ``int()`` also reads "١٢" (Arabic-Indic digits), " 7", "1_000", and ``str.isdigit()`` is true for "²",
    which ``int()`` then refuses; iRacing answers all of them with 400 Bad Request.
    """
    digits = value.removeprefix("-")
    if not (digits.isascii() and digits.isdigit()):
        raise DataError(400, "Bad Request")
    return int(value)


def int_param(params: dict[str, str], name: str, required: bool = False) -> int | None:
    value = params.get(name)
    if value is None or value == "":
        if required:
            raise DataError(400, "Bad Request")
        return None
    return ascii_int(value)


def ints_param(params: dict[str, str], name: str) -> list[int] | None:
    value = params.get(name)
    if not value:
        return None
    return [ascii_int(v) for v in value.split(",") if v]


def time_param(params: dict[str, str], name: str) -> float | None:
    value = params.get(name)
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError as exc:
        raise DataError(400, "Bad Request") from exc


def bool_param(params: dict[str, str], name: str) -> bool:
    return params.get(name, "false").lower() == "true"


@dataclass
class Context:
    """The simulated world as the routes see it."""

    world: World
    payloads: Payloads
    leagues: LeagueRaces
    owner_cust_id: int

    def season_param(self, p: dict[str, str]) -> tuple[int, tuple[int, int, int]]:
        """The required ``season_id`` parameter and its (series index, year, quarter), or a 404."""
        season_id = int_param(p, "season_id", required=True)
        assert season_id is not None
        decoded = self.world.decode_season(season_id)
        if decoded is None:
            raise DataError(404, "Not Found")
        return season_id, decoded

    def finished_results(self, cust_id: int, begin: float, end: float, now: float) -> list[dict[str, Any]]:
        out = []
        for _, subsession_id in self.finished_races(cust_id, begin, end, now):
            result = self.payloads.result(subsession_id)
            if result:
                out.append(result)
        return out

    def finished_races(self, cust_id: int, begin: float, end: float, now: float) -> list[tuple[Session, int]]:
        """(session, subsession) of each race of the member that ended in [begin, min(end, now)], in start order."""
        m = self.world.by_id.get(cust_id)
        if m is None:
            return []
        end = min(end, now)
        longest = self.world.longest_session(m)
        out = []
        for session in self.world.member_sessions(m, begin - longest, end):
            if begin <= session.end <= end:
                split = self.world.split_of(m, session)
                if split is not None:
                    out.append((session, session.subsession_id(split)))
        return out


class Routes:
    """One iRacing service's routes (``routes()``: endpoint to handler)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.world = ctx.world
        self.payloads = ctx.payloads

    def routes(self) -> dict[str, Route]:
        raise NotImplementedError
