"""Reading the iRacing league roster and reconciling it (iRacing errors become messages an admin can act on)."""

from __future__ import annotations

from datetime import datetime

from simlane.iracing.client import ForbiddenError, IRacingClient, NotFoundError

from . import aio
from .services import NumbersError
from .sync import RosterEntry, SyncReport, sync_problem


async def league_sync(*, client: IRacingClient, guild_id: int, actor_id: int | None, now: datetime) -> SyncReport:
    config = await aio.number_config_get(guild_id=guild_id)
    problem = sync_problem(config)
    if problem or not config.league_id:
        raise NumbersError(problem or "")
    try:
        roster = await client.league_roster(config.league_id)
    except ForbiddenError:
        raise NumbersError(
            f"iRacing refused league {config.league_id} (403): the account SimLane uses is not a member of it, or "
            "the league's roster is private. Nothing was changed."
        ) from None
    except NotFoundError:
        raise NumbersError(f"iRacing has no league {config.league_id}. Check `/setup league_id:`.") from None
    entries = [RosterEntry(m.cust_id, m.display_name, (m.car_number or "").strip() or None) for m in roster.roster]
    report: SyncReport = await aio.roster_reconcile(config=config, roster=entries, actor_id=actor_id, now=now)
    return report


async def auto_sync_due(*, client: IRacingClient, now: datetime) -> dict[int, SyncReport | str]:
    """Sync every server whose auto-sync interval has passed; one server's failure never stops the others."""
    from simlane.iracing.client import IRacingError

    done: dict[int, SyncReport | str] = {}
    for config in await aio.configs_due_for_sync(now=now):
        try:
            done[config.guild_id] = await league_sync(client=client, guild_id=config.guild_id, actor_id=None, now=now)
        except (NumbersError, IRacingError) as exc:
            done[config.guild_id] = str(exc)
    return done
