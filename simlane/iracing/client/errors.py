"""Typed errors of the iRacing Data API client.

The tree::

    IRacingError
    ├── ConfigurationError            credentials or base URLs missing or rejected for good
    ├── TransportError                the request never got an HTTP answer
    │   └── RequestTimeoutError
    ├── AuthError                     the OAuth token endpoint said no
    │   └── TokenRateLimitedError     400 unauthorized_client + Retry-After (the token endpoint's "429")
    ├── APIStatusError                the Data API answered with an error status
    │   ├── BadRequestError           400
    │   ├── UnauthorizedError         401 after a fresh token
    │   ├── ForbiddenError            403
    │   ├── NotFoundError             404
    │   ├── RateLimitError            429 or a "Rate limit exceeded" body, retries exhausted
    │   ├── MaintenanceError          503 "Site Maintenance": schedule around it, do not hammer
    │   └── ServerError               other 5xx and CloudFront HTML pages, retries exhausted
    └── LinkExpiredError              a pre-signed link or chunk was no longer valid after re-resolving

Every message passes through :func:`simlane.iracing.client.redaction.redact` so that an exception that is logged
or shown never carries a token, a password or a pre-signed URL signature.
"""

from __future__ import annotations

from .redaction import redact


class IRacingError(Exception):
    """Base of every error the client raises."""

    def __init__(self, message: str) -> None:
        super().__init__(redact(message))

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""


class ConfigurationError(IRacingError):
    """The client is not configured well enough to talk to iRacing."""


class TransportError(IRacingError):
    """No HTTP response arrived (connection refused, reset, DNS...)."""


class RequestTimeoutError(TransportError):
    """The server did not answer in time."""


class AuthError(IRacingError):
    """The OAuth token endpoint refused the grant."""

    def __init__(self, message: str, *, status: int | None = None, error: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.error = error


class TokenRateLimitedError(AuthError):
    """The token endpoint asked us to come back later (400 unauthorized_client with Retry-After)."""

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message, status=400, error="unauthorized_client")
        self.retry_after = retry_after


class APIStatusError(IRacingError):
    """The Data API answered with an error status."""

    status: int = 0

    def __init__(self, message: str, *, status: int | None = None, endpoint: str = "") -> None:
        super().__init__(message)
        if status is not None:
            self.status = status
        self.endpoint = endpoint


class BadRequestError(APIStatusError):
    status = 400


class UnauthorizedError(APIStatusError):
    status = 401


class ForbiddenError(APIStatusError):
    status = 403


class NotFoundError(APIStatusError):
    status = 404


class RateLimitError(APIStatusError):
    status = 429

    def __init__(self, message: str, *, endpoint: str = "", reset_in: float | None = None) -> None:
        super().__init__(message, endpoint=endpoint)
        self.reset_in = reset_in


class MaintenanceError(APIStatusError):
    """iRacing is in a maintenance window (often an hour or more; no Retry-After is sent)."""

    status = 503


class ServerError(APIStatusError):
    status = 500


class LinkExpiredError(IRacingError):
    """A pre-signed download link kept failing even after asking the Data API for a fresh one."""
