"""Event notices to Discord through the bot: a channel or thread message that may ping exactly the members it
names, or a DM; Discord's errors become the outbox outcomes (``publisher.classify_http_error``)."""

from __future__ import annotations

import discord

from simlane.discord_bot.escaping import NO_MENTIONS
from simlane.discord_bot.publisher import HISTORY_LOOKBACK, classify_http_error
from simlane.events.notices.outbox import Message
from simlane.results.poller.outbox import DestinationError


def allowed_mentions(message: Message) -> discord.AllowedMentions:
    """Only the members the notice is for are pinged: never @everyone, @here or a role, whatever the text holds."""
    if not message.mention_ids:
        return NO_MENTIONS
    return discord.AllowedMentions(
        everyone=False, roles=False, replied_user=False, users=[discord.Object(id=i) for i in message.mention_ids]
    )


class DiscordNoticeSender:
    def __init__(self, client: discord.Client) -> None:
        self.client = client

    async def _target(self, message: Message) -> discord.abc.Messageable:
        try:
            if message.user_id is not None:
                user = self.client.get_user(message.user_id) or await self.client.fetch_user(message.user_id)
                return user.dm_channel or await user.create_dm()
            assert message.channel_id is not None
            channel = self.client.get_channel(message.channel_id) or await self.client.fetch_channel(message.channel_id)
        except discord.HTTPException as exc:
            what = "open a DM with the member" if message.user_id is not None else "see the event's channel"
            raise classify_http_error(exc, what) from exc
        if not isinstance(channel, discord.abc.Messageable):
            raise DestinationError("the event's channel is not a text channel")
        return channel

    async def send(self, message: Message, *, nonce: str) -> int:
        target = await self._target(message)
        embed = discord.Embed.from_dict(message.embed) if message.embed else None
        try:
            # discord.py sends enforce_nonce=True with a nonce: a repeat returns the first message, not a new one.
            sent = await target.send(
                content=message.content or None,
                embed=embed,  # type: ignore[arg-type]
                nonce=nonce,
                allowed_mentions=allowed_mentions(message),
            )
        except discord.HTTPException as exc:
            what = "send a DM to the member" if message.user_id is not None else "post in the event's channel"
            raise classify_http_error(exc, what) from exc
        return sent.id

    async def find_sent(self, message: Message) -> int | None:
        """Our message with this text (and embed title and footer) in the recent history, if an earlier attempt
        sent it."""
        target = await self._target(message)
        me = self.client.user
        title = (message.embed or {}).get("title")
        footer = (message.embed or {}).get("footer", {}).get("text")
        try:
            async for sent in target.history(limit=HISTORY_LOOKBACK):
                if me is not None and sent.author.id != me.id:
                    continue
                if (sent.content or "") != message.content:
                    continue
                if message.embed is None or any(e.title == title and e.footer.text == footer for e in sent.embeds):
                    return sent.id
        except discord.HTTPException as exc:
            raise classify_http_error(exc, "read the event's channel") from exc
        return None
