"""The "Add SimLane" round trip: the bot authorization URL, and an OAuth ``state`` bound to the session.

A state is random, names the one server it was issued for, expires after ``STATE_TTL`` and is consumed on first
use, so a callback that is forged, replayed, late or for another server links nothing.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.utils import timezone

from simlane.clubs.discord_oauth import authorize_url
from simlane.clubs.discord_permissions import invite_permissions
from simlane.core.errors import ApplicationError

SESSION_KEY = "simlane_bot_add_states"
STATE_TTL = timedelta(minutes=10)
MAX_PENDING = 5  # a user may have a few tabs open; older states are dropped


class BotAddRefused(ApplicationError):
    """The bot-add callback does not match an authorization this session started."""


def state_issue(session: SessionBase, guild_id: int) -> str:
    state = secrets.token_urlsafe(24)
    pending: dict[str, dict[str, object]] = dict(session.get(SESSION_KEY, {}))
    pending[state] = {"guild_id": guild_id, "expires": (timezone.now() + STATE_TTL).timestamp()}
    session[SESSION_KEY] = dict(list(pending.items())[-MAX_PENDING:])
    return state


def state_consume(session: SessionBase, state: str) -> int:
    """The server a state was issued for; the state is used up whatever the outcome."""
    pending: dict[str, dict[str, object]] = dict(session.get(SESSION_KEY, {}))
    entry = pending.pop(state, None) if state else None
    session[SESSION_KEY] = pending
    if entry is None:
        raise BotAddRefused("This link to add SimLane is not valid (or was already used). Start again from here.")
    if float(str(entry["expires"])) < timezone.now().timestamp():
        raise BotAddRefused("This link to add SimLane has expired. Start again from here.")
    return int(str(entry["guild_id"]))


def bot_authorize_url(*, guild_id: int, state: str, redirect_uri: str) -> str:
    """Discord's bot authorization for one server, preselected and locked, with the permissions SimLane needs."""
    query = urlencode(
        {
            "client_id": settings.DISCORD_CLIENT_ID,
            "scope": "bot applications.commands",
            "permissions": str(invite_permissions()),
            "guild_id": str(guild_id),
            "disable_guild_select": "true",
            "integration_type": "0",
            "response_type": "code",
            "redirect_uri": redirect_uri,
            "state": state,
        }
    )
    return f"{authorize_url()}?{query}"
