"""The README's main job: `simlane run` with no credentials is a working demo against the simulator, with the
dashboard served beside the bot and logins through the local Discord stand-in.

The demo runs in-process on a stopped simulated clock (it moves only when the results job sleeps between polls), and
stops when the test has seen what it came for: nothing here waits on real time.
"""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from PIL import Image

from simlane.clubs.models import Club
from simlane.core.db import close_async_connections, demo_database
from simlane.discord_bot.demo import Console, DemoOptions, DemoRun, demo_main
from simlane.discord_bot.runtime import WebAddress
from simlane.discord_oauth_standin.world import DEMO_SECOND_GUILD_ID
from simlane.results.models import TrackedDriver

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "demo"])

# A guard against a hang, never a wait: the demo on a stopped clock posts within a few seconds of CPU time.
GUARD_SECONDS = 120


def run_demo_until(
    until: Callable[[DemoRun], Awaitable[object]], *, web: WebAddress | None = None
) -> tuple[DemoRun | None, str]:
    """Run ``simlane run``'s demo in-process (its own demo database, a stopped clock) until ``until`` returns."""
    lines: list[str] = []
    options = DemoOptions(speed=0, web=web)

    async def main() -> DemoRun | None:
        try:
            return await asyncio.wait_for(demo_main(options, Console(lines.append, lines.append), until), GUARD_SECONDS)
        finally:
            await close_async_connections()

    with demo_database():
        run = asyncio.run(main())
    return run, "\n".join(lines)


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _form_of(page: str) -> dict[str, str]:
    """The hidden fields of the stand-in's consent form."""
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page))


async def _authorize(browser: httpx.AsyncClient, authorize_url: str, *, user_id: int, **extra: str) -> str:
    """On the stand-in: log in as ``user_id`` if asked, press Authorize; return where it sends the browser back to."""
    page = await browser.get(authorize_url)
    assert page.status_code == 200, page.text
    if "Log in as" in page.text:
        parts = urlsplit(authorize_url)
        base = f"{parts.scheme}://{parts.netloc}"
        login = await browser.post(
            f"{base}/login", data={"user_id": str(user_id), "next": f"{parts.path}?{parts.query}"}
        )
        assert login.status_code == 302
        page = await browser.get(authorize_url)
    form = _form_of(page.text) | {"decision": "authorize", **extra}
    answer = await browser.post(authorize_url.split("?")[0], data=form)
    assert answer.status_code == 302, answer.text
    return answer.headers["location"]


async def _post_with_csrf(browser: httpx.AsyncClient, page_url: str, action: str) -> httpx.Response:
    page = await browser.get(page_url)
    assert page.status_code == 200, page.text
    token = CSRF.search(page.text)
    assert token, page.text
    return await browser.post(action, data={"csrfmiddlewaretoken": token.group(1)}, headers={"Referer": page_url})


@pytest.fixture
def demo_with_web() -> tuple[DemoRun, str, dict[str, str]]:
    """The demo with its dashboard: wait for three result posts, then log in as the demo admin over HTTP and add
    SimLane to their second server, as a newcomer would with a browser."""
    seen: dict[str, str] = {}

    async def until(run: DemoRun) -> None:
        await run.posts_at_least(3)
        assert run.dashboard is not None
        admin = run.server.admin.id
        async with httpx.AsyncClient(base_url=run.dashboard) as browser:
            start = await _post_with_csrf(browser, f"{run.dashboard}/", "/accounts/discord/login/")
            assert start.status_code == 302, start.text
            seen["login page"] = (await browser.get(start.headers["location"])).text
            back = await _authorize(browser, start.headers["location"], user_id=admin)
            done = await browser.get(back, follow_redirects=True)
            seen["dashboard status"] = str(done.status_code)
            seen["dashboard"] = done.text

            add = await _post_with_csrf(
                browser, f"{run.dashboard}/dashboard/", f"/dashboard/servers/{DEMO_SECOND_GUILD_ID}/add/"
            )
            assert add.status_code == 302, add.text
            query = parse_qs(urlsplit(add.headers["location"]).query)
            back = await _authorize(browser, add.headers["location"], user_id=admin, guild_id=query["guild_id"][0])
            seen["after add"] = (await browser.get(back, follow_redirects=True)).text

            # "Verify my iRacing account" leads to the demo's simulated iRacing sign-in page.
            verify = await _post_with_csrf(browser, f"{run.dashboard}/identity/", "/identity/iracing/")
            seen["iracing sign-in"] = verify.headers.get("location", verify.text)
            seen["iracing page"] = (await browser.get(seen["iracing sign-in"])).text
            members = await browser.get(f"/dashboard/clubs/{run.server.guild.id}/members/")
            seen["members status"], seen["members"] = str(members.status_code), members.text
            seen["overview"] = (await browser.get(f"/dashboard/clubs/{run.server.guild.id}/")).text

            # "Sync members now" is queued by the web and carried out by the bot at its next cycle.
            page = f"{run.dashboard}/dashboard/clubs/{run.server.guild.id}/members/"
            asked = await _post_with_csrf(browser, page, f"/dashboard/clubs/{run.server.guild.id}/members/sync/")
            seen["sync asked"] = str(asked.status_code)
            await run.ticks_at_least(run.ticks + 2)
            seen["after sync"] = (await browser.get(f"/dashboard/clubs/{run.server.guild.id}/")).text
        await run.env.settle()
        guild = run.bot.get_guild(DEMO_SECOND_GUILD_ID)
        seen["bot sees"] = guild.name if guild else ""
        seen["clubs"] = repr(
            await sync_to_async(lambda: sorted(Club.objects.values_list("name", "active")))()  # the demo database
        )

    run, text = run_demo_until(until, web=WebAddress("127.0.0.1", 0))
    assert run is not None, text
    return run, text, seen


def test_demo_sets_up_a_server_tracks_drivers_and_posts_their_races(demo_with_web):
    run, text, _seen = demo_with_web
    assert "Demo mode" in text
    assert "Authenticated as" in text
    assert "Race results will be posted in" in text
    assert text.count("Tracking ") == 6
    posts = text.split("#race-results\n")[1:]
    assert len(posts) == len(run.posts) >= 3
    assert all(block.startswith("🏁 ") and "Subsession " in block for block in posts)
    # Each post carries its race card, saved where the terminal says, a real picture of the card's width.
    cards = re.findall(r"^Race card: (.+\.png)$", text, re.M)
    assert len(cards) == len(posts) and [str(p) for p in run.cards] == cards
    for path in run.cards:
        with Image.open(path) as img:
            assert img.format == "PNG" and img.width == 1000 and img.height > 900
    assert "429s: 0" in text
    assert f"{len(posts)} results posted" in text
    # Car numbers in the same demo server: a claim, a link an admin verifies, and a roster sync.
    assert "/claim number:" in text and "is yours" in text
    assert "/verify member:@driver-fan  →  " in text and "is verified as" in text
    assert "/sync  →  ✅ Synced" in text


def test_demo_serves_the_dashboard_and_the_demo_admin_logs_in_through_the_standin(demo_with_web):
    run, text, seen = demo_with_web
    assert run.dashboard is not None and re.fullmatch(r"http://127\.0\.0\.1:\d+", run.dashboard)
    assert f"SimLane dashboard: {run.dashboard}/" in text
    assert f"Open {run.dashboard} and log in as league-admin" in text
    # The stand-in offers the demo server's admin and member: simcord's users, no account needed.
    assert 'data-user="league-admin"' in seen["login page"] and 'data-user="driver-fan"' in seen["login page"]
    assert seen["dashboard status"] == "200"
    demo_card = re.search(r'<li class="card" data-guild="\d+">.*?SimLane Demo League.*?</li>', seen["dashboard"], re.S)
    assert demo_card and "SimLane is here" in demo_card.group(0)
    assert "Thursday Night Endurance" in seen["dashboard"]


def test_adding_simlane_in_the_browser_puts_the_server_in_front_of_the_bot(demo_with_web):
    _run, _text, seen = demo_with_web
    assert "SimLane is now on Thursday Night Endurance" in seen["after add"]
    assert seen["bot sees"] == "Thursday Night Endurance"  # the bot in simcord received the new server
    # What the web wrote, the bot's side read from the same demo database.
    assert seen["clubs"] == repr([("SimLane Demo League", True), ("Thursday Night Endurance", True)])
    # The web's sessions, users and clubs live in the demo database too, never in the real one.
    assert not Club.objects.using("default").exists()
    assert not get_user_model().objects.using("default").exists()
    assert not Session.objects.using("default").exists()


def test_in_the_demo_a_member_can_sign_in_with_the_simulated_iracing(demo_with_web):
    _run, text, seen = demo_with_web
    simulator = re.search(r"local iRacing simulator at (http://127\.0\.0\.1:\d+)", text)
    assert simulator, text
    assert seen["iracing sign-in"].startswith(f"{simulator.group(1)}/oauth2/authorize?"), seen["iracing sign-in"]
    assert "code_challenge_method=S256" in seen["iracing sign-in"]
    assert "Sign in" in seen["iracing page"] or "Log in" in seen["iracing page"], seen["iracing page"][:500]


def test_the_demo_dashboard_shows_the_bots_health_and_carries_out_queued_actions(demo_with_web):
    _run, _text, seen = demo_with_web
    assert "Connected: SimLane has every permission it needs" in seen["overview"]
    assert seen["sync asked"] == "302"
    assert re.search(r"Member sync[^<]*: <strong>Done</strong>", seen["after sync"]), seen["after sync"][-3000:]


def test_the_demo_leaves_the_real_database_alone():
    run, _text = run_demo_until(lambda run: run.posts_at_least(1))
    assert run is not None and run.dashboard is None  # web=None: no dashboard asked for
    assert not TrackedDriver.objects.exists()
    assert TrackedDriver.objects.using("demo").count() == 6  # the demo's rows are in its own database


def test_a_port_in_use_costs_only_the_dashboard_and_says_which_option_to_change():
    with socket.create_server(("127.0.0.1", 0)) as taken:  # another SimLane holding the dashboard's port
        port = taken.getsockname()[1]
        run, text = run_demo_until(lambda run: run.posts_at_least(2), web=WebAddress("127.0.0.1", port))
    assert run is not None and run.dashboard is None
    complaint = [line for line in text.splitlines() if "dashboard" in line.casefold()]
    assert complaint == [
        f"The dashboard is not served: cannot listen on 127.0.0.1:{port} (Address already in use); the bot keeps "
        "running. Pick another port with --web-port (or WEB_PORT), or turn the dashboard off with --no-web."
    ]
    assert len(run.posts) >= 2  # the bot and the results job ran on


def test_the_demo_members_page_lists_proposals_and_a_conflict(demo_with_web):
    _run, text, seen = demo_with_web
    assert "league-admin: /members sync" in text and "2 proposals to confirm, 1 conflict" in text
    assert seen["members status"] == "200"
    page = seen["members"]
    assert page.count('data-testid="proposal"') == 2
    # Each proposal names the member and the nickname it was read from (team tag and car number kept there).
    assert "@tag-racer</strong> (nickname “[SLD] " in page
    assert "@number-racer</strong> (nickname “" in page and " #23”)" in page
    assert page.count('data-testid="conflict"') == 1  # a name several league drivers share
    assert re.search(r"Why: the nickname matches [2-9] iRacing drivers", page)
