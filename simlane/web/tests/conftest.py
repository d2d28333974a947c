"""The web tests: the Discord OAuth stand-in on loopback, and helpers that click through it like a browser would.

``needs_chromium`` tests skip with a visible reason when Debian's Chromium is missing, and fail instead when
SIMLANE_REQUIRE_SERVICES=1 (CI), so a machine without the browser can never pass them silently.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.test import Client

from simlane.discord_oauth_standin import DEMO_ADMIN_ID, DiscordOAuthStandin, MemoryWorld, StandinConfig, demo_world

from .browser import CHROMIUM, live_web, page, screens

__all__ = ["live_web", "page", "screens"]  # fixtures every web test may use


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    reason = f"Debian's Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)"
    required = os.environ.get("SIMLANE_REQUIRE_SERVICES") == "1"
    for item in items:
        if item.get_closest_marker("needs_chromium"):
            item.add_marker(
                pytest.mark.usefixtures("_chromium_required") if required else pytest.mark.skip(reason=reason)
            )


@pytest.fixture
def _chromium_required() -> None:
    pytest.fail(f"SIMLANE_REQUIRE_SERVICES=1 but {CHROMIUM} is missing: install Debian's chromium")


@pytest.fixture
def world() -> MemoryWorld:
    return demo_world()


@pytest.fixture
def standin(world: MemoryWorld, settings: Any) -> Iterator[DiscordOAuthStandin]:
    # The two redirect URIs registered for the application, as in Discord's developer portal.
    registered = (
        "http://testserver/accounts/discord/login/callback/",
        "http://testserver/dashboard/discord/bot-added/",
    )
    server = DiscordOAuthStandin(world, StandinConfig(redirect_uris=registered))
    url = server.start_in_thread()
    settings.DISCORD_OAUTH_BASE_URL = url
    settings.DISCORD_API_BASE_URL = f"{url}/api"
    yield server
    server.stop_thread()


def authorize_on_standin(
    authorize_url: str, *, user_id: int, decision: str = "authorize", guild_id: int | None = None
) -> str:
    """Log in on the stand-in as ``user_id`` and press Authorize (or Cancel); return where Discord redirects to."""
    parts = urlsplit(authorize_url)
    base = f"{parts.scheme}://{parts.netloc}"
    params = {k: v[0] for k, v in parse_qs(parts.query).items()}
    with httpx.Client(base_url=base, follow_redirects=False) as browser:
        page = browser.get(f"{parts.path}?{parts.query}")
        assert page.status_code == 200, page.text
        login = browser.post("/login", data={"user_id": str(user_id), "next": f"{parts.path}?{parts.query}"})
        assert login.status_code == 302
        form = dict(params, decision=decision)
        if guild_id is not None:
            form["guild_id"] = str(guild_id)
        answer = browser.post("/oauth2/authorize", data=form)
        assert answer.status_code == 302, answer.text
        return answer.headers["location"]


def local(url: str) -> str:
    """The path and query of a URL on the Django test server."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def login(client: Client, *, user_id: int = DEMO_ADMIN_ID, next_url: str = "") -> Any:
    """Log ``client`` in with Discord through the stand-in; return the response of the login callback."""
    start = client.post("/accounts/discord/login/" + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302, start.content
    return client.get(local(authorize_on_standin(start["Location"], user_id=user_id)))
