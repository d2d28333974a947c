"""The API's request and response bodies (Pydantic v2 through django-ninja).

Discord snowflakes are strings: they exceed the integers JavaScript (and so most API clients) represent exactly.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from simlane.clubs.models import DiscordIntent


class ErrorOut(Schema):
    detail: str


class InviteOut(Schema):
    url: str = Field(description="Discord's bot authorization page for this server, with SimLane's permissions")


class GuildOut(Schema):
    id: str
    name: str
    owner: bool = Field(description="the logged-in user owns the server")
    simlane_added: bool = Field(description="SimLane is on the server now")
    linked_at: datetime | None = Field(description="when the server was first linked to SimLane")


class ProblemOut(Schema):
    text: str = Field(description="what the bot lacks and how to fix it, in words for a league admin")
    where: Literal["server", "channel"]
    feature: str
    channel_id: str
    missing: list[str]


class BotStatusOut(Schema):
    known: bool = Field(description="the bot has reported on this server at least once")
    connected: bool = Field(description="the bot is on the server and its heartbeat is recent")
    last_seen: datetime | None
    checked_at: datetime | None
    problems: list[ProblemOut]


class ChannelOut(Schema):
    id: str
    name: str
    category: str
    bot_can_post: bool
    missing: list[str] = Field(description="permissions the bot lacks in this channel to post results")


class SettingsOut(Schema):
    results_channel_id: str | None
    results_mode: Literal["all", "official"]
    include_hosted: bool
    include_league: bool
    results_status: Literal["ok", "broken"]
    results_status_reason: str


class SettingsIn(Schema):
    results_channel_id: str | None = Field(default=None, pattern=r"^[0-9]{1,20}$")
    results_mode: Literal["all", "official"] | None = None
    include_hosted: bool | None = None
    include_league: bool | None = None


class IntentOut(Schema):
    id: int
    kind: str
    status: Literal["queued", "running", "done", "failed"]
    reason: str
    attempts: int
    created_at: datetime
    finished_at: datetime | None
    result: dict[str, Any]

    @staticmethod
    def of(intent: DiscordIntent) -> IntentOut:
        return IntentOut(
            id=intent.id,
            kind=intent.kind,
            status=intent.status,  # type: ignore[arg-type]
            reason=intent.reason,
            attempts=intent.attempts,
            created_at=intent.created_at,
            finished_at=intent.finished_at,
            result=intent.result,
        )


class MemberSyncOut(Schema):
    latest: IntentOut | None = Field(description="the most recent member sync asked for, and how it went")
