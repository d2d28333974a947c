"""Digits other than 0–9 ("²", "١", "５") are not ids: every command that takes a typed id refuses them privately and
clearly, and changes nothing (before, ``str.isdigit()`` let them through and ``int()`` or iRacing failed)."""

from __future__ import annotations

import pytest

from simlane.discord_bot.ids import IdInputError, require_ids, typed_id
from simlane.discord_bot.models import GuildSettings
from simlane.results.models import TrackedDriver

from .conftest import ResultsWorld, handled_errors, reply_text
from .test_e2e import Server

LOOKALIKES = ["²", "12²", "١٢", "５", "４２", "7\u0667"]


@pytest.mark.parametrize("typed", LOOKALIKES)
def test_only_ascii_digits_make_an_id(typed):
    assert typed.strip().isdigit()  # what the old check accepted
    assert typed_id(typed) is None
    with pytest.raises(IdInputError, match="digits"):
        require_ids(typed, hint="Give ids with the digits 0–9.")


def test_ids_are_read_from_a_typed_list():
    assert typed_id(" 42 ") == 42
    assert require_ids("42, 7 42;9", hint="") == [42, 7, 9]
    assert typed_id("9" * 19) is None  # would not fit the database


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("typed", ["²", "12²", "١٢", "５"])
@pytest.mark.parametrize(
    ("command", "option"),
    [
        ("untrack", "driver"),
        ("track", "driver"),
        ("results last", "driver"),
        ("schedule", "series"),
        ("raceguide follow", "series"),
    ],
)
async def test_commands_refuse_lookalike_digits_privately(
    results_world: ResultsWorld, simcord_env, command, option, typed
):
    one = Server(simcord_env, "one")
    await TrackedDriver.objects.acreate(guild_id=one.guild.id, cust_id=12, display_name="Twelve", added_by=None)
    result = await one.admin.slash(one.chat, command, **{option: typed})
    assert result.ephemeral and "digits 0–9" in reply_text(result), reply_text(result)
    assert "Something went wrong" not in reply_text(result)
    assert handled_errors(simcord_env) == ["IdInputError"]
    assert await TrackedDriver.objects.acount() == 1
    assert not await GuildSettings.objects.aexists()  # /raceguide follow saved nothing
