"""Sign in with iRacing (authorization code + PKCE) against the simulator's authorize, token and profile endpoints."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from simlane.iracing.client import AuthError, MaintenanceError, ServerError
from simlane.iracing.client.authcode import (
    AuthCodeConfig,
    Pkce,
    authorize_url,
    exchange_code,
    fetch_profile,
    pkce_new,
    s256_challenge,
    sign_in,
)
from simlane.iracing.simulator import SimClock, Simulator, SimulatorConfig
from simlane.iracing.simulator.routes import DataService
from simlane.iracing.simulator.routes.member import owned_packages

REDIRECT = "http://127.0.0.1:8000/identity/iracing/callback/"


@pytest.fixture
async def sim() -> AsyncIterator[Simulator]:
    simulator = Simulator(SimulatorConfig(members=50), clock=SimClock(speed=0))
    await simulator.start()
    yield simulator
    await simulator.stop()


def config_for(sim: Simulator, *, redirect_uri: str = REDIRECT, **extra: Any) -> AuthCodeConfig:
    return AuthCodeConfig(
        client_id=sim.authcode.client.client_id,
        client_secret=sim.authcode.client.client_secret,
        redirect_uri=redirect_uri,
        oauth_base_url=sim.base_url,
        api_base_url=sim.base_url,
        **extra,
    )


async def authorize(
    sim: Simulator, config: AuthCodeConfig, pkce: Pkce, *, cust_id: int, decision: str = "allow"
) -> dict[str, list[str]]:
    """What a browser does: open the authorize page, pick a member, press Allow (or Deny); the redirect's query."""
    async with httpx.AsyncClient(base_url=sim.base_url) as browser:
        url = authorize_url(config, state="st-1", pkce=pkce)
        page = await browser.get(url)
        assert page.status_code == 200 and f'value="{cust_id}"' in page.text
        login = await browser.post("/oauth2/login", data={"cust_id": str(cust_id), "next": page.url.raw_path.decode()})
        consent = await browser.get(login.headers["location"])
        assert "Allow access" in consent.text
        form = dict(parse_qs(urlsplit(url).query, keep_blank_values=True))
        answer = await browser.post(
            "/oauth2/authorize", data={**{k: v[0] for k, v in form.items()}, "decision": decision}
        )
    assert answer.status_code == 302
    location = answer.headers["location"]
    assert location.startswith(REDIRECT)
    return parse_qs(urlsplit(location).query)


def test_s256_challenge_is_unpadded_base64url_of_sha256():
    # RFC 7636 4.2: BASE64URL-ENCODE(SHA256(ASCII(code_verifier))), no padding; 32 bytes give 43 characters.
    verifier = pkce_new().verifier
    expected = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    assert s256_challenge(verifier) == expected and len(expected) == 43
    assert 43 <= len(verifier) <= 128


async def test_sign_in_returns_the_member_who_allowed_it(sim):
    config, pkce = config_for(sim), pkce_new()
    member = sim.world.by_id[sim.authcode.logins[1]]
    back = await authorize(sim, config, pkce, cust_id=member.cust_id)
    assert back["state"] == ["st-1"]
    async with httpx.AsyncClient() as http:
        profile = await sign_in(http, config, code=back["code"][0], verifier=pkce.verifier)
    assert (profile.cust_id, profile.name) == (member.cust_id, member.display_name)


async def test_with_iracing_auth_the_sign_in_reads_the_members_own_member_info(sim):
    config, pkce = config_for(sim), pkce_new()
    member = sim.world.by_id[sim.authcode.logins[2]]
    assert member.cust_id != sim.world.members[0].cust_id  # member/info must describe the signer, not the data account
    back = await authorize(sim, config, pkce, cust_id=member.cust_id)
    async with httpx.AsyncClient() as http:
        profile = await sign_in(http, config, code=back["code"][0], verifier=pkce.verifier)
    assert profile.member_info is not None
    assert (profile.member_info["cust_id"], profile.member_info["display_name"]) == (
        member.cust_id,
        member.display_name,
    )
    expected = owned_packages(member.cust_id)
    assert profile.member_info["car_packages"] == expected["car_packages"]
    assert profile.member_info["track_packages"] == expected["track_packages"]
    # Read through the data API's link indirection, as every /data read is.
    assert [c["path"] for c in sim.calls if c["kind"] == "data"] == ["member/info"]


async def test_a_token_without_iracing_auth_may_not_ask_the_data_api(sim):
    config, pkce = config_for(sim, scope="iracing.profile"), pkce_new()
    back = await authorize(sim, config, pkce, cust_id=sim.authcode.logins[0])
    async with httpx.AsyncClient() as http:
        tokens = await exchange_code(http, config, code=back["code"][0], verifier=pkce.verifier)
        assert tokens.scope == "iracing.profile"
        refused = await http.get(
            f"{sim.base_url}/data/member/info", headers={"Authorization": f"Bearer {tokens.access_token}"}
        )
    assert refused.status_code == 401


async def test_without_iracing_auth_granted_the_sign_in_skips_member_info(sim):
    config, pkce = config_for(sim, scope="iracing.profile"), pkce_new()
    back = await authorize(sim, config, pkce, cust_id=sim.authcode.logins[0])
    async with httpx.AsyncClient() as http:
        profile = await sign_in(http, config, code=back["code"][0], verifier=pkce.verifier)
    assert profile.cust_id == sim.authcode.logins[0] and profile.member_info is None
    assert not [c for c in sim.calls if c["kind"] == "data"]


async def test_deny_comes_back_with_access_denied_and_no_code(sim):
    back = await authorize(sim, config_for(sim), pkce_new(), cust_id=sim.authcode.logins[0], decision="deny")
    assert back == {"error": ["access_denied"], "state": ["st-1"]}


async def test_a_wrong_verifier_is_refused_and_spends_the_code(sim):
    config, pkce = config_for(sim), pkce_new()
    code = (await authorize(sim, config, pkce, cust_id=sim.authcode.logins[0]))["code"][0]
    async with httpx.AsyncClient() as http:
        with pytest.raises(AuthError) as refused:
            await exchange_code(http, config, code=code, verifier=pkce_new().verifier)
        assert (refused.value.status, refused.value.error) == (400, "invalid_grant")
        with pytest.raises(AuthError):
            await exchange_code(http, config, code=code, verifier=pkce.verifier)


async def test_a_replayed_code_is_refused_and_revokes_its_token(sim):
    config, pkce = config_for(sim), pkce_new()
    code = (await authorize(sim, config, pkce, cust_id=sim.authcode.logins[0]))["code"][0]
    async with httpx.AsyncClient() as http:
        tokens = await exchange_code(http, config, code=code, verifier=pkce.verifier)
        with pytest.raises(AuthError) as replay:
            await exchange_code(http, config, code=code, verifier=pkce.verifier)
        assert replay.value.error == "invalid_grant"
        with pytest.raises(AuthError) as revoked:
            await fetch_profile(http, config, tokens.access_token)
        assert revoked.value.status == 401


async def test_an_unmasked_secret_or_other_redirect_is_refused(sim):
    pkce = pkce_new()
    code = (await authorize(sim, config_for(sim), pkce, cust_id=sim.authcode.logins[0]))["code"][0]
    async with httpx.AsyncClient() as http:
        form = {
            "grant_type": "authorization_code",
            "client_id": sim.authcode.client.client_id,
            "client_secret": sim.authcode.client.client_secret,  # in clear: iRacing wants it masked
            "code": code,
            "redirect_uri": REDIRECT,
            "code_verifier": pkce.verifier,
        }
        assert (await http.post(f"{sim.base_url}/oauth2/token", data=form)).status_code == 401
        other = config_for(sim, redirect_uri="http://127.0.0.1:9/elsewhere/")
        with pytest.raises(AuthError):
            await exchange_code(http, other, code=code, verifier=pkce.verifier)


async def test_an_authorize_request_without_pkce_or_for_a_foreign_redirect_shows_an_error_page(sim):
    config = config_for(sim)
    url = authorize_url(config, state="s", pkce=Pkce(verifier="v", challenge=""))
    async with httpx.AsyncClient() as browser:
        assert (await browser.get(url)).status_code == 400
        foreign = authorize_url(config_for(sim, redirect_uri="https://evil.example/cb"), state="s", pkce=pkce_new())
        response = await browser.get(foreign)
    assert response.status_code == 400 and "location" not in response.headers


@pytest.mark.parametrize(("kind", "error"), [("maintenance", MaintenanceError), ("500", ServerError)])
async def test_iracing_failures_are_typed(sim, kind, error):
    config, pkce = config_for(sim), pkce_new()
    code = (await authorize(sim, config, pkce, cust_id=sim.authcode.logins[0]))["code"][0]
    sim.faults.add(kind, endpoint="oauth2/token")
    async with httpx.AsyncClient() as http:
        with pytest.raises(error):
            await sign_in(http, config, code=code, verifier=pkce.verifier)


async def test_a_member_info_of_another_account_is_not_taken_for_the_signer(sim):
    """Should iRacing ever answer member/info for some other account, its content must not be taken as the
    signer's: the sign-in stands and what they own stays unknown."""
    owner = sim.world.members[0].cust_id
    data = sim.data
    assert isinstance(data, DataService)
    answer_as_owner = data.members.info_of
    data.members.info_of = lambda cust_id: answer_as_owner(owner)  # type: ignore[method-assign]
    config, pkce = config_for(sim), pkce_new()
    signer = sim.authcode.logins[2]
    back = await authorize(sim, config, pkce, cust_id=signer)
    async with httpx.AsyncClient() as http:
        profile = await sign_in(http, config, code=back["code"][0], verifier=pkce.verifier)
    assert signer != owner and profile.cust_id == signer and profile.member_info is None
