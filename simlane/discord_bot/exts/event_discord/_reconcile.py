"""The event reconciler: given an event and ``now``, bring its Discord side to the state the plan wants, step by
step, recording each object before the next step (see ``_steps``).

Outcomes, as the dashboard shows them on ``EventDiscordChannel``:
- ready: everything due exists; the bot's tick looks again when the next time-driven step falls due;
- pending: paced (at most ``PACE_CREATES`` new objects a pass, the rest a little later) or Discord said not now
  (429 with its Retry-After, 5xx): the intent's bounded retries and the tick carry on;
- blocked: a missing permission (checked by SimLane before asking, Create Events included) or a Discord limit, or
  a 403 from Discord: the detail names what to fix and nothing is retried until an admin asks again;
- archived: tidied away after the event.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import discord

from simlane.events import discord_plan as plan
from simlane.events.discord_objects import aio
from simlane.events.discord_objects.selectors import EventSnapshot
from simlane.events.models import DiscordObjectStatus, EventStatus
from simlane.results.poller.outbox import DestinationError, RejectedError, RetryLaterError

from . import _steps

logger = logging.getLogger(__name__)

PACE_CREATES = 5  # new Discord objects per pass: Discord throttles channel and role creation hard
PACE_WAIT = timedelta(seconds=30)
BUSY_WAIT = timedelta(minutes=2)  # the tick's next look after a 429/5xx, besides the intent's own retries

CardPoster = Callable[[], Awaitable[object]]  # posts or edits the event's signup card (the events extension's)


class Paced(Exception):
    """This pass created its share of objects; the rest follow after ``PACE_WAIT``."""


@dataclass
class Outcome:
    """What a pass did: the status it left, what the dashboard says, and Discord's wait when it said not now."""

    status: str
    detail: str
    retry_after: float | None = None
    busy: bool = False
    created: int = 0
    notes: list[str] = field(default_factory=list)

    def as_result(self) -> dict[str, object]:
        return {"status": self.status, "detail": self.detail, "created": self.created}


@dataclass
class Pass:
    """One run of the reconciler over one event."""

    guild: discord.Guild
    snap: EventSnapshot
    now: datetime
    created: int = 0
    notes: list[str] = field(default_factory=list)
    category: discord.CategoryChannel | None = None  # the event's category, as this pass found or made it

    def creating(self) -> None:
        """Count a create request; past the pace, stop this pass before sending it."""
        if self.created >= PACE_CREATES:
            raise Paced
        self.created += 1

    def note(self, text: str) -> None:
        self.notes.append(text)


async def _card(p: Pass, poster: CardPoster | None) -> None:
    """Post or edit the signup card (in the event channel recorded just before), then note where it is: the
    Discord event links to it."""
    if poster is None:
        return
    await poster()
    fresh = await aio.event_discord_snapshot(event_id=p.snap.event_id)
    if fresh is not None:
        p.snap.signup_message_id, p.snap.signup_channel_id = fresh.signup_message_id, fresh.signup_channel_id


STEPS: dict[plan.Step, Callable[[Pass], Awaitable[None]]] = {
    plan.Step.CATEGORY: _steps.category,
    plan.Step.TEXT_CHANNEL: _steps.text_channel,
    plan.Step.SCHEDULED_EVENT: _steps.scheduled_event,
    plan.Step.TEAM_THREADS: _steps.team_threads,
    plan.Step.TEAM_ROLES: _steps.team_roles,
    plan.Step.PRACTICE_VOICE: _steps.practice_voice,
    plan.Step.RACE_VOICE: _steps.race_voice,
    plan.Step.EVENT_START: _steps.event_start,
    plan.Step.EVENT_END: _steps.event_end,
    plan.Step.ARCHIVE: _steps.archive,
}

_locks: dict[int, asyncio.Lock] = {}


def _retry_after(exc: discord.HTTPException) -> float | None:
    value = getattr(exc, "retry_after", None)
    if value is None and exc.response is not None:
        header = exc.response.headers.get("Retry-After")
        value = float(header) if header else None
    return value


async def reconcile(
    bot: discord.Client,
    event_id: int,
    *,
    now: datetime,
    card: CardPoster | None = None,
) -> Outcome | None:
    """Bring one event's Discord side to its wanted state at ``now``; None when the event or its server is gone.

    One pass at a time per event (the intent worker and the tick share this process), so two passes never race
    to create the same object.
    """
    lock = _locks.setdefault(event_id, asyncio.Lock())
    async with lock:
        return await _reconcile(bot, event_id, now=now, card=card)


async def _reconcile(bot: discord.Client, event_id: int, *, now: datetime, card: CardPoster | None) -> Outcome | None:
    snap = await aio.event_discord_snapshot(event_id=event_id)
    if snap is None:
        return None
    guild = bot.get_guild(snap.guild_id)
    if guild is None or guild.me is None:
        return None
    if snap.status == EventStatus.DRAFT or snap.archived_at is not None:
        return Outcome(snap.discord_status, "")
    wanted = plan.steps_due(snap.facts, snap.timing, now)
    p = Pass(guild, snap, now)
    granted = guild.me.guild_permissions.value
    for step in wanted.steps:
        missing = plan.missing_permissions(step, granted)
        if missing:
            return await _finish(p, DiscordObjectStatus.BLOCKED, plan.permission_problem(step, missing), None)
        try:
            if step == plan.Step.CARD:
                await _card(p, card)
            else:
                await STEPS[step](p)
        except Paced:
            left = f"SimLane made {p.created} Discord objects and paces itself: the rest follow in a minute."
            return await _finish(p, DiscordObjectStatus.PENDING, left, now + PACE_WAIT)
        except plan.LimitReached as exc:
            return await _finish(p, DiscordObjectStatus.BLOCKED, exc.message, None)
        except (DestinationError, RejectedError) as exc:  # the card's poster speaks the outbox's outcomes
            detail = f"SimLane could not {plan.step_purpose(step)}: {exc}."
            return await _finish(p, DiscordObjectStatus.BLOCKED, detail, None)
        except RetryLaterError as exc:
            detail = f"Discord said not now while SimLane tried to {plan.step_purpose(step)}; it tries again shortly."
            later = now + max(BUSY_WAIT, timedelta(seconds=exc.retry_after or 0))
            out = await _finish(p, DiscordObjectStatus.PENDING, detail, later)
            out.retry_after, out.busy = exc.retry_after, True
            return out
        except discord.Forbidden as exc:
            logger.info("event %s: 403 at %s: %s", event_id, step, exc.text)
            names = " and ".join(plan.STEP_PERMISSIONS[step])
            detail = (
                f"Discord refused (403) when SimLane tried to {plan.step_purpose(step)}. Make sure SimLane's role "
                f"has {names} and is not denied them in the event's category or channel, then press “Retry "
                "Discord setup” on the event's page."
            )
            return await _finish(p, DiscordObjectStatus.BLOCKED, detail, None)
        except discord.HTTPException as exc:
            if exc.status != 429 and exc.status < 500 and exc.status != 404:
                detail = f"Discord refused to {plan.step_purpose(step)} ({exc.status}: {exc.text[:200]})."
                return await _finish(p, DiscordObjectStatus.BLOCKED, detail, None)
            # 429/5xx: Discord is busy; 404: an object vanished mid-step (the next pass makes it again)
            wait = _retry_after(exc)
            detail = f"Discord said not now ({exc.status}) while SimLane tried to {plan.step_purpose(step)}; it " \
                     "tries again shortly."  # fmt: skip
            out = await _finish(
                p, DiscordObjectStatus.PENDING, detail, now + max(BUSY_WAIT, timedelta(seconds=wait or 0))
            )
            out.retry_after, out.busy = wait, True
            return out
    archived = snap.archived_at is not None
    status = DiscordObjectStatus.ARCHIVED if archived else DiscordObjectStatus.READY
    detail = " ".join(p.notes) or ("Tidied away after the event." if archived else "Discord is up to date.")
    return await _finish(p, status, detail, None if archived else wanted.next_at)


async def _finish(p: Pass, status: str, detail: str, next_at: datetime | None) -> Outcome:
    await aio.status_record(event_id=p.snap.event_id, status=status, detail=detail, next_due_at=next_at)
    return Outcome(status, detail, created=p.created, notes=p.notes)
