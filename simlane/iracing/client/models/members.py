"""Models of member and lookup endpoints: lookup/drivers, member/get, member/info, member/profile."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from .base import Helmet, IRModel, Position0, Timestamp


class LookupDriver(IRModel):
    """An item of ``lookup/drivers`` (a JSON array)."""

    cust_id: int
    display_name: str
    helmet: Helmet | None = None
    profile_disabled: bool = False


class License(IRModel):
    category_id: int | None = None
    category: str | None = None
    license_level: int | None = None
    safety_rating: float | None = None
    irating: int | None = None
    group_name: str | None = None


class Member(IRModel):
    cust_id: int
    display_name: str = ""
    helmet: Helmet | None = None
    last_login: Timestamp | None = None
    member_since: str | None = None
    flair_id: int | None = None
    flair_name: str | None = None
    ai: bool = False
    licenses: list[License] = Field(default_factory=list)


class MemberGet(IRModel):
    """``member/get``."""

    success: bool | None = None
    cust_ids: list[int] = Field(default_factory=list)
    members: list[Member] = Field(default_factory=list)


class MemberInfo(IRModel):
    """``member/info`` — always the authenticated member; ``licenses`` is a dict keyed by category here."""

    cust_id: int
    display_name: str = ""
    first_name: str | None = None
    last_name: str | None = None
    licenses: dict[str, License] = Field(default_factory=dict)
    account: dict[str, Any] | None = None


class RecentEvent(IRModel):
    """``member/profile`` → ``recent_events[]``: positions are 0-based here."""

    subsession_id: int | None = None
    event_type: str | None = None
    start_time: Timestamp | None = None
    event_name: str | None = None
    finish_position: Position0 | None = None
    starting_position: Position0 | None = None
    car_name: str | None = None


class MemberProfile(IRModel):
    """``member/profile``; ``activity`` may be missing or null."""

    cust_id: int
    success: bool | None = None
    disabled: bool | None = None
    member_info: Member | None = None
    activity: dict[str, Any] | None = None
    recent_events: list[RecentEvent] = Field(default_factory=list)
