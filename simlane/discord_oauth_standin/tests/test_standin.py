"""The Discord OAuth2 stand-in keeps Discord's rules, over real HTTP: single-use codes, bound redirects, scopes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from simlane.discord_oauth_standin import DEMO_ADMIN_ID, DEMO_GUILD_ID, DEMO_MEMBER_ID, DiscordOAuthStandin, demo_world
from simlane.discord_oauth_standin.world import DEMO_OTHER_GUILD_ID, MemoryWorld

REDIRECT = "http://127.0.0.1:9/callback"
CLIENT = ("100000000000000001", "standin-client-secret")


@pytest.fixture
async def standin() -> AsyncIterator[DiscordOAuthStandin]:
    server = DiscordOAuthStandin(demo_world())
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def browser(standin: DiscordOAuthStandin) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=standin.base_url, follow_redirects=False) as client:
        yield client


def query(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


async def authorize(browser: httpx.AsyncClient, user_id: int, scope: str = "identify guilds", **extra: str) -> str:
    await browser.post("/login", data={"user_id": str(user_id), "next": "/"})
    form = {"client_id": CLIENT[0], "redirect_uri": REDIRECT, "response_type": "code", "scope": scope, "state": "s1"}
    response = await browser.post("/oauth2/authorize", data=form | extra | {"decision": "authorize"})
    assert response.status_code == 302, response.text
    return response.headers["location"]


async def token(browser: httpx.AsyncClient, **form: str) -> httpx.Response:
    return await browser.post("/api/oauth2/token", data=form, auth=CLIENT)


async def test_the_authorize_page_offers_the_demo_users_then_the_consent(browser):
    url = f"/oauth2/authorize?client_id={CLIENT[0]}&redirect_uri={REDIRECT}&response_type=code&scope=identify"
    page = (await browser.get(url)).text
    assert "Demo Member" in page and "Demo Server Admin" in page and "Authorize" not in page
    await browser.post("/login", data={"user_id": str(DEMO_ADMIN_ID), "next": url})
    assert "Authorize" in (await browser.get(url)).text


@pytest.mark.parametrize(
    ("client_id", "redirect_uri"),
    [("1", REDIRECT), (CLIENT[0], "https://evil.example/callback")],
    ids=["unknown-client", "unregistered-redirect"],
)
async def test_bad_authorize_requests_are_refused(browser, client_id, redirect_uri):
    url = f"/oauth2/authorize?client_id={client_id}&redirect_uri={redirect_uri}&response_type=code&scope=identify"
    assert (await browser.get(url)).status_code == 400


async def test_a_code_is_single_use_and_bound_to_its_redirect_uri(browser):
    code = query(await authorize(browser, DEMO_ADMIN_ID))["code"]
    wrong = await token(browser, grant_type="authorization_code", code=code, redirect_uri=REDIRECT + "x")
    assert wrong.status_code == 400
    code = query(await authorize(browser, DEMO_ADMIN_ID))["code"]
    first = await token(browser, grant_type="authorization_code", code=code, redirect_uri=REDIRECT)
    again = await token(browser, grant_type="authorization_code", code=code, redirect_uri=REDIRECT)
    assert first.status_code == 200 and again.status_code == 400


async def test_the_client_secret_is_checked(browser):
    code = query(await authorize(browser, DEMO_ADMIN_ID))["code"]
    response = await browser.post(
        "/api/oauth2/token",
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT},
        auth=(CLIENT[0], "wrong"),
    )
    assert response.status_code == 401


async def test_guilds_carry_the_users_permissions_and_need_the_guilds_scope(browser):
    code = query(await authorize(browser, DEMO_ADMIN_ID))["code"]
    grant = (await token(browser, grant_type="authorization_code", code=code, redirect_uri=REDIRECT)).json()
    bearer = {"Authorization": f"Bearer {grant['access_token']}"}
    me = (await browser.get("/api/users/@me", headers=bearer)).json()
    assert me["id"] == str(DEMO_ADMIN_ID) and me["username"] == "demo_admin"
    guilds = {g["id"]: g for g in (await browser.get("/api/users/@me/guilds", headers=bearer)).json()}
    assert guilds[str(DEMO_GUILD_ID)]["owner"] is True
    assert int(guilds[str(DEMO_OTHER_GUILD_ID)]["permissions"]) & (8 | 32) == 0  # just a member there
    assert isinstance(guilds[str(DEMO_GUILD_ID)]["permissions"], str)

    code = query(await authorize(browser, DEMO_ADMIN_ID, scope="identify"))["code"]
    narrow = (await token(browser, grant_type="authorization_code", code=code, redirect_uri=REDIRECT)).json()
    response = await browser.get("/api/users/@me/guilds", headers={"Authorization": f"Bearer {narrow['access_token']}"})
    assert response.status_code == 403


async def test_refresh_rotates_both_tokens(browser):
    code = query(await authorize(browser, DEMO_ADMIN_ID))["code"]
    old = (await token(browser, grant_type="authorization_code", code=code, redirect_uri=REDIRECT)).json()
    new = (await token(browser, grant_type="refresh_token", refresh_token=old["refresh_token"])).json()
    assert new["access_token"] != old["access_token"]
    assert (await token(browser, grant_type="refresh_token", refresh_token=old["refresh_token"])).status_code == 400
    old_bearer = {"Authorization": f"Bearer {old['access_token']}"}
    assert (await browser.get("/api/users/@me", headers=old_bearer)).status_code == 401
    new_bearer = {"Authorization": f"Bearer {new['access_token']}"}
    assert (await browser.get("/api/users/@me", headers=new_bearer)).status_code == 200


async def test_the_token_endpoint_takes_form_bodies_only(browser):
    response = await browser.post("/api/oauth2/token", json={"grant_type": "refresh_token"}, auth=CLIENT)
    assert response.status_code == 400


async def test_adding_the_bot_needs_manage_server_and_returns_the_guild(standin, browser):
    world: MemoryWorld = standin.world
    await browser.post("/login", data={"user_id": str(DEMO_MEMBER_ID), "next": "/"})
    form = {
        "client_id": CLIENT[0],
        "redirect_uri": REDIRECT,
        "scope": "bot applications.commands",
        "guild_id": str(DEMO_GUILD_ID),
        "permissions": "3072",
        "decision": "authorize",
    }
    assert (await browser.post("/oauth2/authorize", data=form)).status_code == 403
    assert not world.guilds[DEMO_GUILD_ID].bot_present

    location = await authorize(
        browser, DEMO_ADMIN_ID, scope="bot applications.commands", guild_id=str(DEMO_GUILD_ID), permissions="3072"
    )
    back = query(location)
    assert (back["guild_id"], back["permissions"], back["state"]) == (str(DEMO_GUILD_ID), "3072", "s1")
    assert world.guilds[DEMO_GUILD_ID].bot_present and world.guilds[DEMO_GUILD_ID].bot_permissions == 3072
    grant = (await token(browser, grant_type="authorization_code", code=back["code"], redirect_uri=REDIRECT)).json()
    assert grant["guild"] == {"id": str(DEMO_GUILD_ID), "name": "SimLane Demo Club"}
