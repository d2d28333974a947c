"""The identity tests: the iRacing simulator and the Discord stand-in on loopback, clicked through like a browser."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.test import Client

from simlane.discord_oauth_standin import DiscordOAuthStandin, MemoryWorld, StandinConfig, demo_world
from simlane.iracing.simulator import SimClock, Simulator, SimulatorConfig
from simlane.iracing.simulator.routes.oauth import AuthCodeClient
from simlane.web.tests.conftest import authorize_on_standin, local

IRACING_CALLBACK = "http://testserver/identity/iracing/callback/"
ROLES_CALLBACK = "http://testserver/identity/linked-roles/callback/"


@pytest.fixture
def world() -> MemoryWorld:
    return demo_world()


@pytest.fixture
def standin(world: MemoryWorld, settings: Any) -> Iterator[DiscordOAuthStandin]:
    registered = ("http://testserver/accounts/discord/login/callback/", ROLES_CALLBACK)
    server = DiscordOAuthStandin(world, StandinConfig(redirect_uris=registered))
    url = server.start_in_thread()
    settings.DISCORD_OAUTH_BASE_URL = url
    settings.DISCORD_API_BASE_URL = f"{url}/api"
    settings.DISCORD_TOKEN = server.config.bot_token
    yield server
    server.stop_thread()


@pytest.fixture
def iracing(settings: Any) -> Iterator[Simulator]:
    """The simulator with SimLane registered as an authorization-code client (redirect URI as registered)."""
    sim = Simulator(SimulatorConfig(members=50), clock=SimClock(speed=0))
    sim.authcode.client = AuthCodeClient(redirect_uris=(IRACING_CALLBACK,))
    url = sim.start_in_thread()
    settings.IRACING_OAUTH_BASE_URL = url
    settings.IRACING_API_BASE_URL = url  # the simulator plays both hosts
    settings.IRACING_OAUTH_CLIENT_ID = sim.authcode.client.client_id
    settings.IRACING_OAUTH_CLIENT_SECRET = sim.authcode.client.client_secret
    settings.IRACING_OAUTH_REDIRECT_URI = ""
    yield sim
    sim.stop_thread()


def authorize_on_iracing(authorize_url: str, *, cust_id: int, decision: str = "allow") -> str:
    """Sign in on the simulator's iRacing page as ``cust_id`` and press Allow (or Deny); where it redirects to."""
    parts = urlsplit(authorize_url)
    with httpx.Client(base_url=f"{parts.scheme}://{parts.netloc}", follow_redirects=False) as browser:
        page = browser.get(f"{parts.path}?{parts.query}")
        assert page.status_code == 200, page.text
        login = browser.post("/oauth2/login", data={"cust_id": str(cust_id), "next": f"{parts.path}?{parts.query}"})
        assert login.status_code == 302
        form = {k: v[0] for k, v in parse_qs(parts.query).items()} | {"decision": decision}
        answer = browser.post("/oauth2/authorize", data=form)
        assert answer.status_code == 302, answer.text
        return str(answer.headers["location"])


def start_iracing(client: Client) -> str:
    response = client.post("/identity/iracing/")
    assert response.status_code == 302, response.content
    return str(response["Location"])


def sign_in_with_iracing(client: Client, *, cust_id: int, decision: str = "allow") -> Any:
    """The whole round trip from "Verify my iRacing account" to SimLane's callback; the callback's response."""
    return client.get(local(authorize_on_iracing(start_iracing(client), cust_id=cust_id, decision=decision)))


def link_roles(client: Client, *, user_id: int) -> Any:
    """Open the Linked Roles verification URL, authorise on the Discord stand-in; SimLane's callback response."""
    start = client.get("/identity/linked-roles/")
    assert start.status_code == 302, start.content
    return client.get(local(authorize_on_standin(start["Location"], user_id=user_id)))
