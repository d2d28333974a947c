"""The events pages on a phone: the list, an event's page and the teams page fit 390 px without sideways scrolling."""

from __future__ import annotations

from pathlib import Path

import pytest
from asgiref.sync import sync_to_async

from simlane.discord_oauth_standin import DEMO_GUILD_ID, MemoryWorld
from simlane.events.models import CalendarFeed

from .browser import logged_in_admin, shoot
from .clubs_setup import populate
from .test_events_pages import make_event

pytestmark = [pytest.mark.needs_chromium, pytest.mark.django_db(transaction=True)]


async def test_the_events_pages_fit_a_phone(world: MemoryWorld, live_web: str, screens: Path) -> None:
    setup = await sync_to_async(populate)(world)
    title = "Endurance Championship Round 4: Spa-Francorchamps 24 Hours (Grand Prix layout)"
    event = await sync_to_async(make_event)(setup.club, title, kind="team")
    # A token with no '-' in it: one long word the browser may not break by itself.
    await CalendarFeed.objects.acreate(club=setup.club, member=None, token="Q" * 32)
    club = f"{live_web}/dashboard/clubs/{DEMO_GUILD_ID}/events/"
    async with logged_in_admin(live_web) as page:
        await page.set_viewport_size({"width": 390, "height": 844})
        for name, url in (
            ("events", club),
            ("event", f"{club}{event.id}/"),
            ("teams", f"{club}{event.id}/teams/"),
        ):
            response = await page.goto(url)
            assert response is not None and response.status == 200, name
            assert await page.get_by_text(title).first.is_visible(), name
            overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"the {name} page scrolls sideways by {overflow}px on a phone"
            await shoot(page, screens / f"events-{name}-phone.png")
