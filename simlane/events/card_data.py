"""What the bot needs to post or edit an event's signup card: the embed, which buttons are live, where it goes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from simlane.results.models import GuildResultsConfig

from .card import card_embed
from .models import Event, EventStatus
from .selectors import event_state


@dataclass(frozen=True)
class CardSnapshot:
    event_id: int
    guild_id: int
    title: str
    embed: dict[str, Any]
    signups_open: bool  # the Sign up button is live
    withdraw_open: bool  # the Withdraw button is live
    card_channel_id: int | None  # where the card is now (None: not posted yet)
    card_message_id: int | None
    text_channel_id: int | None  # the event's own channel, once it exists
    fallback_channel_id: int | None  # the club's results channel, used while the event has no channel


def card_snapshot(*, event_id: int, now: datetime) -> CardSnapshot | None:
    """The card of the event as it is now (None: the event was deleted)."""
    event = Event.objects.filter(id=event_id).select_related("club", "sheet").first()
    if event is None:
        return None
    state = event_state(event)
    record = state.discord
    sheet = event.sheet
    active = event.status in (EventStatus.OPEN, EventStatus.TEAMS_FINAL) and now < event.race_at
    results = GuildResultsConfig.objects.filter(guild_id=event.club.guild_id).first()
    return CardSnapshot(
        event_id=event.id,
        guild_id=event.club.guild_id,
        title=event.title,
        embed=card_embed(state, now),
        signups_open=event.status == EventStatus.OPEN and sheet.opens_at <= now < sheet.closes_at,
        withdraw_open=active,
        card_channel_id=record.signup_channel_id if record else None,
        card_message_id=record.signup_message_id if record else None,
        text_channel_id=record.text_channel_id if record else None,
        fallback_channel_id=results.channel_id if results else None,
    )
