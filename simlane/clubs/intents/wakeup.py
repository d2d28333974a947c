"""Wake the bot's drain loop when the web enqueues, so an intent runs at once instead of at the next poll.

Only useful when the web and the bot share a process (``simlane run``); elsewhere nobody listens and the bot's
poll picks the intent up a few seconds later. Listeners must be thread-safe: the web runs in other threads.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

log = logging.getLogger(__name__)

_listeners: list[Callable[[], None]] = []


def listen(callback: Callable[[], None]) -> Callable[[], None]:
    """Call ``callback`` after each enqueue; returns a function that stops listening."""
    _listeners.append(callback)

    def stop() -> None:
        if callback in _listeners:
            _listeners.remove(callback)

    return stop


def notify() -> None:
    for callback in list(_listeners):
        try:
            callback()
        except RuntimeError as exc:  # the bot's loop closed meanwhile: its next start polls anyway
            log.debug("intent wake-up listener failed: %s", exc)
