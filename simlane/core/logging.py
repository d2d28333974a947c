"""Logging that never prints a secret: a filter that redacts every record before any handler formats it."""

from __future__ import annotations

import json
import logging
import threading
import time
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


class JsonFormatter(logging.Formatter):
    """One JSON object per line (``SIMLANE_LOG_FORMAT=json``) for log collectors; the text in it is the redacted
    text, since the redacting filter has rewritten the record before any formatter sees it."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": redact(record.getMessage()),
            "pid": record.process,
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = redact(record.exc_text)
        return json.dumps(entry, ensure_ascii=False)

    def converter(self, timestamp: float | None) -> time.struct_time:
        return time.gmtime(timestamp)


def redacting_logging_config(
    level: str,
    *,
    secrets: list[str],
    log_format: str = "plain",
    extra_handlers: dict[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A ``LOGGING`` dict whose every handler redacts; ``secrets`` are registered as values to mask.

    ``log_format`` is ``plain`` (a line of text) or ``json`` (one object per line); ``extra_handlers`` are added to
    the root logger as they are (for example a counter of problems for metrics).
    """
    if log_format not in ("plain", "json"):
        raise ValueError(f"SIMLANE_LOG_FORMAT must be plain or json, not {log_format!r}")
    extra = extra_handlers or {}
    for secret in secrets:
        register_secret(secret)
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "redact": {"()": "simlane.core.logging.RedactingFilter"},
            "no_voice_warning": {"()": "simlane.core.logging.DropVoiceSupportWarning"},
        },
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)-7s %(name)s: %(message)s"},
            "json": {"()": "simlane.core.logging.JsonFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["no_voice_warning", "redact"],
                "formatter": log_format,
            },
            **extra,
        },
        "root": {"handlers": ["console", *extra], "level": level},
        "loggers": {"httpx": {"level": "WARNING"}, "httpcore": {"level": "WARNING"}},
    }
