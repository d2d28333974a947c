"""Secrets never reach a log line, an exception message or a printed URL."""

from __future__ import annotations

import logging

import pytest

from simlane.core.logging import RedactingFilter
from simlane.iracing.client import ServerError
from simlane.iracing.client.redaction import redact, register_secret
from simlane.iracing.simulator import Credentials


def _handler(stream) -> logging.Handler:
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter())
    return handler


async def test_a_full_client_session_logs_no_secret(sim, make_client, caplog):
    import io

    stream = io.StringIO()
    root = logging.getLogger()
    handler = _handler(stream)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        async with make_client(sim) as client:
            await client.cars()
            sim.faults.add("500", 1)
            await client.tracks()  # retried: a warning is logged
            sim.faults.add("expired_link", 3)
            with pytest.raises(Exception) as excinfo:  # noqa: PT011 - the type is not the point here
                await client.series()
            logging.getLogger("test").error(
                "client said %s with token %s", excinfo.value, next(iter(sim.access_tokens))
            )
            logging.getLogger("test").exception("boom", exc_info=excinfo.value)
    finally:
        root.removeHandler(handler)
    text = stream.getvalue()
    creds = Credentials()
    assert "retry" in text and "client said" in text
    for secret in [creds.password, creds.client_secret, *sim.access_tokens, *sim.refresh_tokens]:
        assert secret not in text
    assert "X-Amz-Signature=[REDACTED]" in text


def test_exception_messages_are_redacted():
    register_secret("discord-token-abcdef")
    error = ServerError("failed https://x/y?X-Amz-Signature=abc123&a=1 with discord-token-abcdef")
    assert "abc123" not in str(error) and "discord-token-abcdef" not in str(error)


def test_patterns_catch_unregistered_secrets():
    text = redact('Authorization: Bearer eyJabc.def and {"refresh_token": "r-123", "password": "hunter2"}')
    assert "eyJabc" not in text and "r-123" not in text and "hunter2" not in text
