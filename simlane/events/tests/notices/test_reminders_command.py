"""``/reminders``: a member sees and changes their own event notices, privately."""

from __future__ import annotations

import pytest

from simlane.clubs.models import ClubMember
from simlane.discord_bot.offline import reply_text

from .conftest import ClubWorld

pytestmark = pytest.mark.django_db(transaction=True)


async def prefs(world: ClubWorld, name: str) -> tuple[bool, bool]:
    member = await ClubMember.objects.aget(club=world.club, discord_user_id=world.users[name].id)
    return member.event_dms, member.event_nudges


async def test_a_member_turns_dms_on_and_nudges_off_for_themselves_only(world: ClubWorld):
    bob = world.users["bob"]
    shown = await bob.slash(world.channel, "reminders")
    assert shown.response is not None and shown.response.ephemeral
    assert "reminders by DM **off**, signup nudges **on**" in reply_text(shown)

    changed = await bob.slash(world.channel, "reminders", dm=True, nudge=False)
    assert "Saved." in reply_text(changed) and "reminders by DM **on**, signup nudges **off**" in reply_text(changed)
    assert await prefs(world, "bob") == (True, False)
    assert await prefs(world, "carl") == (True, True)  # as it was
    assert world.channel.history() == []  # nothing said in public
