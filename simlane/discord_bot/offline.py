"""Helpers for driving the bot through simcord, the offline Discord: the demo and the tests use them."""

from __future__ import annotations

import contextlib

import simcord


def reply_text(result: simcord.InteractionResult) -> str:
    """What the member saw: the response (a deferred one is filled by the first follow-up) and any follow-ups."""
    parts = [result.response.content] if result.response is not None else []
    return "\n".join(parts + [f.content for f in result.followups])


def handled_errors(env: simcord.Env) -> list[str]:
    """Names of the errors the tree's on_error turned into replies since the last call (and acknowledge them)."""
    cursor: int = getattr(env, "_simlane_error_cursor", 0)
    names = [type(getattr(e, "original", e)).__name__ for e in env.errors_since(cursor)]
    env._simlane_error_cursor = env.error_cursor  # type: ignore[attr-defined]
    with contextlib.suppress(BaseExceptionGroup):
        env.raise_errors()  # marks them as seen, so the env's teardown does not fail the test for them
    return names
