"""Async client for the iRacing Data API (no Django imports; settings and the token store are passed in)."""

from .auth import MemoryTokenStore, TokenSet, TokenStore, mask_secret
from .client import IRacingClient, Resolved
from .clock import Clock, SystemClock
from .config import DEFAULT_API_BASE_URL, DEFAULT_OAUTH_BASE_URL, ClientConfig
from .errors import (
    APIStatusError,
    AuthError,
    BadRequestError,
    ConfigurationError,
    ForbiddenError,
    IRacingError,
    LinkExpiredError,
    MaintenanceError,
    NotFoundError,
    RateLimitError,
    RequestTimeoutError,
    ServerError,
    TokenRateLimitedError,
    TransportError,
    UnauthorizedError,
)
from .metrics import ClientMetrics

__all__ = [
    "DEFAULT_API_BASE_URL",
    "DEFAULT_OAUTH_BASE_URL",
    "APIStatusError",
    "AuthError",
    "BadRequestError",
    "ClientConfig",
    "ClientMetrics",
    "Clock",
    "ConfigurationError",
    "ForbiddenError",
    "IRacingClient",
    "IRacingError",
    "LinkExpiredError",
    "MaintenanceError",
    "MemoryTokenStore",
    "NotFoundError",
    "RateLimitError",
    "RequestTimeoutError",
    "Resolved",
    "ServerError",
    "SystemClock",
    "TokenRateLimitedError",
    "TokenSet",
    "TokenStore",
    "TransportError",
    "UnauthorizedError",
    "mask_secret",
]
