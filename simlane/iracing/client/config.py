"""Configuration of the iRacing client (plain values; Django settings are mapped onto it elsewhere)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .redaction import register_secret

DEFAULT_API_BASE_URL = "https://members-ng.iracing.com"
DEFAULT_OAUTH_BASE_URL = "https://oauth.iracing.com"


@dataclass(frozen=True)
class ClientConfig:
    """Everything the client needs to know; secrets are registered for redaction on creation."""

    client_id: str = ""
    client_secret: str = field(default="", repr=False)
    username: str = ""
    password: str = field(default="", repr=False)
    api_base_url: str = DEFAULT_API_BASE_URL
    oauth_base_url: str = DEFAULT_OAUTH_BASE_URL
    scope: str = "iracing.auth"
    # How many /data requests may be in flight at once (4 keeps well inside 240 requests a minute).
    concurrency: int = 4
    # Link and chunk downloads are not rate limited (they carry no x-ratelimit headers), so more may run at once.
    download_concurrency: int = 8
    # Total time budget for backing off on 5xx/timeouts of one call (a minute: one poll cycle is two).
    max_retry_seconds: float = 60.0
    # How many 429s one call may meet before giving up (each waits for the announced reset).
    max_rate_limit_retries: int = 3
    # How many times one call may ask for fresh links after a download link expired.
    max_link_refreshes: int = 2
    request_timeout: float = 30.0
    # A Redis URL: the account's rate budget is shared with every process using the same URL and account
    # (``shared_budget``). Empty: this client paces on its own, enough for one process.
    shared_budget_url: str = ""
    # Refresh the access token this many seconds before it expires (the book suggests using it for ~590 of 600 s).
    token_refresh_margin: float = 30.0
    # Longest Retry-After from the token endpoint we are willing to wait for inside one call.
    max_token_wait: float = 120.0

    def __post_init__(self) -> None:
        for secret in (self.client_secret, self.password):
            register_secret(secret)

    @property
    def has_credentials(self) -> bool:
        return bool(self.client_id and self.client_secret and self.username and self.password)
