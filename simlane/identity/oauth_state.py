"""OAuth ``state`` values bound to the session: random, single use, expiring, each for one purpose.

The iRacing sign-in keeps its PKCE verifier here too, server-side, beside the state it belongs to: the browser
only ever sees the challenge.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib.sessions.backends.base import SessionBase
from django.utils import timezone

from simlane.core.errors import ApplicationError

SESSION_KEY = "simlane_identity_states"
STATE_TTL = timedelta(minutes=10)
MAX_PENDING = 5  # a few tabs at once; older states are dropped


class StateRefused(ApplicationError):
    """The callback does not match a sign-in this session started (forged, replayed, expired, other purpose)."""


def state_issue(session: SessionBase, purpose: str, **data: str) -> str:
    state = secrets.token_urlsafe(24)
    pending: dict[str, dict[str, object]] = dict(session.get(SESSION_KEY, {}))
    pending[state] = {"purpose": purpose, "expires": (timezone.now() + STATE_TTL).timestamp(), **data}
    session[SESSION_KEY] = dict(list(pending.items())[-MAX_PENDING:])
    return state


def state_consume(session: SessionBase, purpose: str, state: str) -> dict[str, str]:
    """The data stored with ``state``; the state is used up whatever the outcome."""
    pending: dict[str, dict[str, object]] = dict(session.get(SESSION_KEY, {}))
    entry = pending.pop(state, None) if state else None
    session[SESSION_KEY] = pending
    if entry is None or entry.get("purpose") != purpose:
        raise StateRefused("This sign-in link is not valid or was already used. Start again from this page.")
    if float(str(entry["expires"])) < timezone.now().timestamp():
        raise StateRefused("This sign-in took too long and expired. Start again from this page.")
    return {k: str(v) for k, v in entry.items() if k not in {"purpose", "expires"}}
