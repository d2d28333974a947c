"""Is this process able to do its job? One check per dependency, each answered in a second or two.

Every process kind asks the checks that matter to it (``REQUIRED``): the web app needs its database (and the broker
when one is configured, to queue work); the bot needs the database and its Discord gateway; a worker needs the
database and the broker. Every answer lists all checks, so one page shows the whole deployment's state.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connection

from simlane.clubs.health.selectors import HEARTBEAT_STALE_AFTER
from simlane.clubs.models import BotGuildHealth
from simlane.iracing.services import client_config_from_settings
from simlane.iracing.state import token_state_get
from simlane.iracing.token_store import account_key

REQUIRED: dict[str, tuple[str, ...]] = {
    "web": ("database", "broker"),
    "bot": ("database", "discord_gateway"),
    "worker": ("database", "broker"),
}


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means not ready; the detail says which
        return Check("database", False, f"{type(exc).__name__}: {exc}"[:200])
    return Check("database", True, connection.vendor)


def check_broker() -> Check:
    if not settings.CELERY_BROKER_URL:
        return Check("broker", True, "none configured: tasks run in-process")
    from config.celery_app import app

    try:
        with app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # kombu raises the transport's own errors
        return Check("broker", False, f"{type(exc).__name__}: {exc}"[:200])
    return Check("broker", True, "reachable")


def check_gateway_heartbeat(now: datetime) -> Check:
    """From any process: a bot has written a heartbeat recently (it writes one a minute per server)."""
    newest = BotGuildHealth.objects.order_by("-last_seen").values_list("last_seen", flat=True).first()
    if newest is None:
        return Check("discord_gateway", False, "no bot has reported yet")
    age = now - newest
    return Check("discord_gateway", age <= HEARTBEAT_STALE_AFTER, f"last heartbeat {age.total_seconds():.0f} s ago")


def check_iracing_token(now: datetime) -> Check:
    """A usable iRacing token (or refresh token) is stored for the configured account; nothing is sent to iRacing."""
    config = client_config_from_settings()
    if not config.has_credentials:
        return Check("iracing_token", True, "no iRacing credentials configured")
    state = token_state_get(account=account_key(config.client_id, config.username))
    if not state or not (state.get("access_token") or state.get("refresh_token")):
        return Check("iracing_token", False, "no token yet (the first iRacing call signs in)")
    epoch = now.timestamp()
    if float(state.get("access_expires_at") or 0) > epoch:
        return Check("iracing_token", True, "access token valid")
    refresh_until = state.get("refresh_expires_at")
    if state.get("refresh_token") and (refresh_until is None or float(refresh_until) > epoch):
        return Check("iracing_token", True, "access token expired; refresh token valid")
    return Check("iracing_token", False, "tokens expired: the next call signs in again")


@dataclass(frozen=True)
class Readiness:
    kind: str
    checks: tuple[Check, ...]
    took_ms: int

    @property
    def ready(self) -> bool:
        required = REQUIRED.get(self.kind, ("database",))
        return all(c.ok for c in self.checks if c.name in required)

    def as_dict(self) -> dict[str, object]:
        required = REQUIRED.get(self.kind, ("database",))
        return {
            "ready": self.ready,
            "process": self.kind,
            "took_ms": self.took_ms,
            "checks": {c.name: {"ok": c.ok, "required": c.name in required, "detail": c.detail} for c in self.checks},
        }


def readiness(kind: str, *, now: datetime, gateway: Check | None = None) -> Readiness:
    """Every check; ``gateway`` is the process's own view of its Discord connection (the bot), if it has one."""
    started = time.monotonic()
    database = check_database()
    checks = [database, check_broker()]
    if database.ok:
        checks.append(gateway or check_gateway_heartbeat(now))
        checks.append(check_iracing_token(now))
    else:  # nothing else can be read without the database
        checks.append(gateway or Check("discord_gateway", False, "database unavailable"))
        checks.append(Check("iracing_token", False, "database unavailable"))
    return Readiness(kind, tuple(checks), int((time.monotonic() - started) * 1000))
