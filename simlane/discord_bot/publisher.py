"""Results to Discord through the bot's REST client: the outbox's :class:`Publisher` for discord.py.

Discord errors become the outbox's three outcomes: the destination is unusable (403/404: stop and tell the
admins), try later (429 with its ``retry_after``, 5xx), or rejected for good (other 4xx). discord.py already
sleeps through short 429s itself; a 429 that still surfaces is deferred, never spun on.
"""

from __future__ import annotations

import io
from typing import Any

import discord

from simlane.discord_bot.escaping import NO_MENTIONS
from simlane.results.poller.outbox import CARD_FILENAME, DestinationError, RejectedError, RetryLaterError

HISTORY_LOOKBACK = 100  # messages searched for an embed that may have been sent before a crash


def classify_http_error(exc: discord.HTTPException, what: str) -> Exception:
    """A Discord HTTP error as one of the outbox outcomes (gone or forbidden, try later, rejected)."""
    if isinstance(exc, discord.Forbidden):
        return DestinationError(f"the bot is not allowed to {what} (Discord 403)")
    if isinstance(exc, discord.NotFound):
        return DestinationError(f"the channel no longer exists (Discord 404 while trying to {what})")
    if exc.status == 429 or exc.status >= 500:
        retry_after = getattr(exc, "retry_after", None)
        if retry_after is None and exc.response is not None:
            header = exc.response.headers.get("Retry-After")
            retry_after = float(header) if header else None
        return RetryLaterError(f"Discord {exc.status} while trying to {what}", retry_after)
    return RejectedError(f"Discord {exc.status} while trying to {what}: {exc.text}")


def _may_attach(channel: discord.abc.Messageable) -> bool:
    """Whether the bot may attach files here (DMs and channels it cannot see the permissions of: assume yes)."""
    if isinstance(channel, discord.abc.GuildChannel):
        return channel.permissions_for(channel.guild.me).attach_files
    return True


class DiscordPublisher:
    def __init__(self, client: discord.Client) -> None:
        self.client = client

    async def _channel(self, channel_id: int) -> discord.abc.Messageable:
        channel = self.client.get_channel(channel_id)
        if channel is None:
            try:
                channel = await self.client.fetch_channel(channel_id)
            except discord.HTTPException as exc:
                raise classify_http_error(exc, "see the channel") from exc
        if not isinstance(channel, discord.abc.Messageable):
            raise DestinationError("the results channel is not a text channel")
        return channel

    async def send(
        self,
        *,
        channel_id: int,
        embed: dict[str, Any],
        nonce: str,
        image: bytes | None = None,
        filename: str = CARD_FILENAME,
    ) -> int:
        channel = await self._channel(channel_id)
        if image is not None and not _may_attach(channel):
            # Without Attach Files Discord refuses the whole message (403): the result goes as text, the health
            # page names the missing permission.
            image, embed = None, {k: v for k, v in embed.items() if k != "image"}
        files = [discord.File(io.BytesIO(image), filename=filename)] if image is not None else []
        try:
            # discord.py sends enforce_nonce=True with a nonce: a repeat returns the first message, not a new one.
            message = await channel.send(
                embed=discord.Embed.from_dict(embed), files=files, nonce=nonce, allowed_mentions=NO_MENTIONS
            )
        except discord.HTTPException as exc:
            raise classify_http_error(exc, "post in the results channel") from exc
        return message.id

    async def find_sent(self, *, channel_id: int, embed: dict[str, Any]) -> int | None:
        """A message of ours in the channel's recent history with this embed's title and footer, if any."""
        channel = await self._channel(channel_id)
        me = self.client.user
        footer = embed.get("footer", {}).get("text")
        try:
            async for message in channel.history(limit=HISTORY_LOOKBACK):
                if me is not None and message.author.id != me.id:
                    continue
                for e in message.embeds:
                    if e.title == embed.get("title") and e.footer.text == footer:
                        return message.id
        except discord.HTTPException as exc:
            raise classify_http_error(exc, "read the results channel") from exc
        return None

    async def notify_admins(self, *, guild_id: int, text: str) -> None:
        """Tell the server's admins: in its system channel if the bot can post there, else by DM to the owner."""
        guild = self.client.get_guild(guild_id)
        if guild is None:
            return  # the bot left the server; nobody to tell
        system = guild.system_channel
        if system is not None and system.permissions_for(guild.me).send_messages:
            try:
                await system.send(text, allowed_mentions=NO_MENTIONS)
                return
            except discord.HTTPException:
                pass  # fall back to the owner
        try:
            owner = guild.owner or await self.client.fetch_user(guild.owner_id or 0)
            await owner.send(text, allowed_mentions=NO_MENTIONS)
        except discord.HTTPException as exc:
            raise classify_http_error(exc, "message the server owner") from exc
