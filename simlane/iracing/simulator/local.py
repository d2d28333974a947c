"""Helpers to point a client at a simulator with the simulator's own demo credentials."""

from __future__ import annotations

from simlane.iracing.client import ClientConfig

from .routes.oauth import AuthCodeClient
from .server import Credentials


def demo_client_config(base_url: str, credentials: Credentials | None = None, **overrides: object) -> ClientConfig:
    """A client configuration that authenticates against the simulator at ``base_url``."""
    c = credentials or Credentials()
    values: dict[str, object] = {
        "client_id": c.client_id,
        "client_secret": c.client_secret,
        "username": c.username,
        "password": c.password,
        "api_base_url": base_url,
        "oauth_base_url": base_url,
    }
    values.update(overrides)
    return ClientConfig(**values)  # type: ignore[arg-type]


def demo_environment(base_url: str) -> dict[str, str]:
    """The environment variables that point SimLane at the simulator."""
    c = Credentials()
    return {
        "IRACING_API_BASE_URL": base_url,
        "IRACING_OAUTH_BASE_URL": base_url,
        "IRACING_CLIENT_ID": c.client_id,
        "IRACING_CLIENT_SECRET": c.client_secret,
        "IRACING_USERNAME": c.username,
        "IRACING_PASSWORD": c.password,
        "IRACING_OAUTH_CLIENT_ID": AuthCodeClient.client_id,
        "IRACING_OAUTH_CLIENT_SECRET": AuthCodeClient.client_secret,
    }
