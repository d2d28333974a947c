"""Logging that never prints a secret: a filter that redacts every record before any handler formats it."""

from __future__ import annotations

import logging
from typing import Any

from simlane.iracing.client.redaction import redact, register_secret


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


def redacting_logging_config(level: str, *, secrets: list[str]) -> dict[str, Any]:
    """A ``LOGGING`` dict whose every handler redacts; ``secrets`` are registered as values to mask."""
    for secret in secrets:
        register_secret(secret)
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"redact": {"()": "simlane.core.logging.RedactingFilter"}},
        "formatters": {"plain": {"format": "%(asctime)s %(levelname)-7s %(name)s: %(message)s"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"], "formatter": "plain"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"httpx": {"level": "WARNING"}, "httpcore": {"level": "WARNING"}},
    }
