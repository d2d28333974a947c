"""One handler per intent kind: each does the Discord work and returns what it did (stored as the intent's result).

Handlers raise the outbox's outcomes (``DestinationError`` 403/404, ``RetryLaterError`` 429/5xx, ``RejectedError``
other 4xx) or ``IntentRefused`` with a reason for the admin; the cog turns them into the intent's status.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simlane.clubs.models import DiscordIntent, IntentKind
from simlane.core.errors import ApplicationError
from simlane.results.poller.outbox import Publisher, RetryLaterError

if TYPE_CHECKING:
    from simlane.discord_bot.bot import SimLaneBot

TEST_TITLE = "SimLane can post here"


class IntentRefused(ApplicationError):
    """The intent cannot be carried out; the message says why, in an admin's words."""


@dataclass
class HandlerContext:
    bot: SimLaneBot
    publisher: Publisher


Handler = Callable[[HandlerContext, DiscordIntent], Awaitable[dict[str, Any]]]


def test_embed(intent: DiscordIntent) -> dict[str, Any]:
    """The test post; its footer names the intent, so the history check after a crash finds exactly this one."""
    return {
        "title": TEST_TITLE,
        "description": "Race results will appear in this channel. An admin asked for this test on the dashboard.",
        "footer": {"text": f"Test post {intent.id}"},
    }


async def post_test_message(ctx: HandlerContext, intent: DiscordIntent) -> dict[str, Any]:
    """Post the test message once: an attempt after a crash first looks for the message the last one sent."""
    channel_id = int(intent.payload["channel_id"])
    embed = test_embed(intent)
    if intent.attempts > 1:
        found = await ctx.publisher.find_sent(channel_id=channel_id, embed=embed)
        if found is not None:
            return {"message_id": str(found), "channel_id": str(channel_id), "recovered": True}
    message_id = await ctx.publisher.send(channel_id=channel_id, embed=embed, nonce=intent.nonce)
    return {"message_id": str(message_id), "channel_id": str(channel_id)}


async def member_sync(ctx: HandlerContext, intent: DiscordIntent) -> dict[str, Any]:
    """The full member sync an admin asked for on the dashboard: the same sync as `/members sync`."""
    from simlane.discord_bot.exts.clubs._cog import MembersCog

    guild = ctx.bot.get_guild(intent.club.guild_id)
    cog = ctx.bot.get_cog("MembersCog")
    if guild is None or not isinstance(cog, MembersCog):
        raise IntentRefused("SimLane is not on this server right now, so it cannot read its members.")
    try:
        done = await cog.syncs.run(ctx.bot, guild, ctx.bot.iracing, wait=True)
    except ApplicationError as exc:  # no members intent, or a sync already running: the admin reads why
        raise IntentRefused(exc.message) from exc
    sync = done.sync
    return {"seen": sync.seen, "added": sync.added, "updated": sync.updated, "left": sync.left}


async def refresh_health(ctx: HandlerContext, intent: DiscordIntent) -> dict[str, Any]:
    """Check the bot's permissions on the server again now, instead of at the next periodic check."""
    from simlane.discord_bot.exts.health._cog import HealthCog

    guild = ctx.bot.get_guild(intent.club.guild_id)
    cog = ctx.bot.get_cog("HealthCog")
    if guild is None or not isinstance(cog, HealthCog):
        raise IntentRefused("SimLane is not on this server right now, so it cannot check its permissions there.")
    await cog.refresh_guild(guild)
    return {"checked": True}


async def event_sync(ctx: HandlerContext, intent: DiscordIntent) -> dict[str, Any]:
    """Bring an event's Discord side up to date with the event reconciler (exts.event_discord: category, channel,
    signup card through exts/events/_sync.card_post_or_edit, Discord event, team objects, archive), then tell members
    the waitlist promoted. One queued intent per event covers every change made before it runs."""
    from simlane.discord_bot.exts.event_discord._cog import EventDiscordCog
    from simlane.discord_bot.exts.events._sync import announce_promotions
    from simlane.events.models import DiscordObjectStatus

    cog = ctx.bot.get_cog("EventDiscordCog")
    if not isinstance(cog, EventDiscordCog):
        raise IntentRefused("This SimLane runs without its events extension, so it cannot set up event channels.")
    event_id = int(intent.payload["event_id"])
    outcome = await cog.sync(event_id, nonce=intent.nonce, recover=intent.attempts > 1)
    if outcome is None:
        raise IntentRefused("The event is gone, or SimLane is not on its server right now.")
    if outcome.busy:  # Discord said not now: the queue's bounded back-off, never sooner than its Retry-After
        raise RetryLaterError(outcome.detail, outcome.retry_after)
    if outcome.status == DiscordObjectStatus.BLOCKED:  # fails with what to fix; no retry until someone fixes it
        raise IntentRefused(outcome.detail)
    result = outcome.as_result()
    result["announced"] = await announce_promotions(ctx.bot, event_id)
    return result


HANDLERS: dict[str, Handler] = {
    IntentKind.POST_TEST_MESSAGE: post_test_message,
    IntentKind.MEMBER_SYNC: member_sync,
    IntentKind.REFRESH_HEALTH: refresh_health,
    IntentKind.EVENT_SYNC: event_sync,
}
