"""Posting and editing an event's signup card, and telling members the waitlist gave them a place.

``card_post_or_edit`` is the one function that puts the card on Discord: the EVENT_SYNC intent handler calls it
(and the event reconciler may call it as one of its steps). The card goes in the event's own channel, or, while
the event has none, in the club's results channel. Its message id is recorded right after the post; an attempt
after a crash between the post and the record first looks for its own card in the channel (by the footer) so it
never posts twice. A card deleted by a human (404 on edit) is forgotten and posted again. A card that sits in the
results channel moves to the event's channel once that exists (the old one is deleted).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord

from simlane.discord_bot.publisher import classify_http_error
from simlane.events import aio
from simlane.events.card import footer_text
from simlane.events.card_data import CardSnapshot
from simlane.results.poller.outbox import DestinationError

from ._card import card_view
from ._shared import logger

if TYPE_CHECKING:
    from simlane.discord_bot.bot import SimLaneBot

HISTORY_LOOKBACK = 50


class CardUnplaceable(DestinationError):
    """There is nowhere to post the card (no event channel and no results channel)."""


async def _channel(bot: SimLaneBot, channel_id: int) -> discord.abc.Messageable:
    channel = bot.get_channel(channel_id)
    if channel is None:
        try:
            channel = await bot.fetch_channel(channel_id)
        except discord.HTTPException as exc:
            raise classify_http_error(exc, "see the event's channel") from exc
    if not isinstance(channel, discord.abc.Messageable):
        raise DestinationError("the channel for the signup card is not a text channel")
    return channel


async def _find_own_card(bot: SimLaneBot, channel: discord.abc.Messageable, event_id: int) -> int | None:
    me, footer = bot.user, footer_text(event_id)
    try:
        async for message in channel.history(limit=HISTORY_LOOKBACK):
            if me is not None and message.author.id == me.id and any(e.footer.text == footer for e in message.embeds):
                return message.id
    except discord.HTTPException as exc:
        raise classify_http_error(exc, "read the channel of the signup card") from exc
    return None


async def _edit(bot: SimLaneBot, snap: CardSnapshot) -> bool:
    """Edit the card where it is; False if it is gone (deleted by someone) or must move to the event's channel."""
    assert snap.card_channel_id is not None and snap.card_message_id is not None
    moving = snap.text_channel_id is not None and snap.card_channel_id != snap.text_channel_id
    channel = await _channel(bot, snap.card_channel_id)
    message = channel.get_partial_message(snap.card_message_id)  # type: ignore[attr-defined]
    try:
        if moving:
            await message.delete()
            return False
        await message.edit(
            embed=discord.Embed.from_dict(snap.embed),
            view=card_view(snap.event_id, signups_open=snap.signups_open, withdraw_open=snap.withdraw_open),
        )
    except discord.NotFound:
        return False
    except discord.HTTPException as exc:
        raise classify_http_error(exc, "edit the signup card") from exc
    return True


async def card_post_or_edit(bot: SimLaneBot, event_id: int, *, nonce: str, recover: bool) -> dict[str, Any]:
    """Bring the event's signup card up to date: edit it in place, or post it (once) and record it.

    ``recover`` (a retried attempt) looks for a card an earlier attempt posted but did not record.
    """
    snap = await aio.card_snapshot(event_id=event_id, now=bot.now())
    if snap is None:
        return {"event_id": event_id, "gone": True}
    if snap.card_message_id is not None and snap.card_channel_id is not None:
        if await _edit(bot, snap):
            return {"message_id": str(snap.card_message_id), "channel_id": str(snap.card_channel_id), "edited": True}
        await aio.card_forgotten(event_id=event_id)
    target = snap.text_channel_id or snap.fallback_channel_id
    if target is None:
        raise CardUnplaceable(
            "there is no channel for the signup card yet: the event has no channel and no results channel is set "
            "(`/results channel`)"
        )
    channel = await _channel(bot, target)
    found = await _find_own_card(bot, channel, event_id) if recover else None
    view = card_view(event_id, signups_open=snap.signups_open, withdraw_open=snap.withdraw_open)
    if found is None:
        try:
            sent = await channel.send(
                embed=discord.Embed.from_dict(snap.embed),
                view=view if view is not None else discord.utils.MISSING,
                nonce=nonce,
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except discord.HTTPException as exc:
            raise classify_http_error(exc, "post the signup card") from exc
        found = sent.id
    where = "the event's channel" if target == snap.text_channel_id else "the results channel (no event channel yet)"
    await aio.card_recorded(event_id=event_id, channel_id=target, message_id=found, detail=f"Signup card in {where}.")
    return {"message_id": str(found), "channel_id": str(target), "posted": True}


async def announce_promotions(bot: SimLaneBot, event_id: int) -> int:
    """Tell members the waitlist gave a place, in the card's channel, pinging only them; returns how many."""
    snap = await aio.card_snapshot(event_id=event_id, now=bot.now())
    if snap is None or snap.card_channel_id is None:
        return 0
    promoted = await aio.promotions_to_announce(event_id=event_id)
    if not promoted:
        return 0
    channel = await _channel(bot, snap.card_channel_id)
    from simlane.discord_bot.escaping import discord_safe

    lines = [
        f"<@{s.member.discord_user_id}> a place opened in {discord_safe(s.event_class.name, limit=60)}"
        for s in promoted
    ]
    text = f"From the waitlist of **{discord_safe(snap.title, limit=100)}**: you are in.\n" + "\n".join(lines)
    try:
        await channel.send(
            text[:2000],
            allowed_mentions=discord.AllowedMentions(
                everyone=False, roles=False, users=[discord.Object(s.member.discord_user_id) for s in promoted]
            ),
        )
    except discord.HTTPException as exc:
        logger.warning("event %s: telling promoted members failed: %s", event_id, exc)
        raise classify_http_error(exc, "tell promoted members in the card's channel") from exc
    await aio.promotions_announced(signup_ids=[s.id for s in promoted], now=bot.now())
    return len(promoted)
