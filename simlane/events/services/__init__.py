"""Writes of club events, one small module per concern: ``events`` (create, edit, cancel, the sheet), ``signups``
(sign up, withdraw, waitlist), ``teams`` (draft, finalise, stints), ``numbers`` (car numbers from the club's pools),
``discord`` (asking the bot to update Discord, recording what it did), ``calendar`` (feed tokens)."""

from simlane.core.errors import ApplicationError


class EventError(ApplicationError):
    """The event change was refused; the message says why, and nothing was changed."""
