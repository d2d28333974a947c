"""Logging that never prints a secret: a filter that redacts every record before any handler formats it."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

_MASK = "[REDACTED]"
_lock = threading.Lock()
_secrets: set[str] = set()
_redactors: list[Callable[[str], str]] = []


def register_secret(value: str | None) -> None:
    """Mask this value in every log record from now on (tokens, keys, passwords)."""
    if value and len(value) >= 4:
        with _lock:
            _secrets.add(value)


def register_redactor(redactor: Callable[[str], str]) -> None:
    """Pass every log record's text through ``redactor`` too: apps with secrets of their own register theirs (the
    iRacing app registers its client's, which also knows the tokens it receives)."""
    with _lock:
        if redactor not in _redactors:
            _redactors.append(redactor)


def redact(text: str) -> str:
    """``text`` with every registered secret masked and every registered redactor applied."""
    if not text:
        return text
    with _lock:
        known = sorted(_secrets, key=len, reverse=True)
        redactors = list(_redactors)
    for value in known:
        text = text.replace(value, _MASK)
    for redactor in redactors:
        text = redactor(text)
    return text


class RedactingFilter(logging.Filter):
    """Render the record's message (and exception text) once, redacted, so no handler sees the raw values."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info:
            formatted = logging.Formatter().formatException(record.exc_info)
            record.exc_text = redact(formatted)
            record.exc_info = None
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class DropVoiceSupportWarning(logging.Filter):
    """Drop two start-up warnings that are noise for SimLane.

    discord.py warns that voice needs PyNaCl (SimLane sends no audio), and simcord's import-time self-check builds a
    client with no intents, which discord.py warns about (SimLane's bot always has the guilds intent).
    """

    NOISE = ("voice will NOT be supported", "Guilds intent seems to be disabled")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not any(noise in message for noise in self.NOISE)


def redacting_logging_config(level: str, *, secrets: list[str]) -> dict[str, Any]:
    """A ``LOGGING`` dict whose every handler redacts; ``secrets`` are registered as values to mask."""
    for secret in secrets:
        register_secret(secret)
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "redact": {"()": "simlane.core.logging.RedactingFilter"},
            "no_voice_warning": {"()": "simlane.core.logging.DropVoiceSupportWarning"},
        },
        "formatters": {"plain": {"format": "%(asctime)s %(levelname)-7s %(name)s: %(message)s"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["no_voice_warning", "redact"],
                "formatter": "plain",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"httpx": {"level": "WARNING"}, "httpcore": {"level": "WARNING"}},
    }
