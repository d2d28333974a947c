"""`simlane bot`: the gateway alone, with its shards given on the command line (mistakes explained, nothing run)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from simlane.discord_bot.management.commands.bot import shard_ids


@pytest.mark.parametrize(("text", "ids"), [("0", [0]), ("0,2", [0, 2]), ("0-3", [0, 1, 2, 3]), ("4-5,1", [1, 4, 5])])
def test_shard_ids_are_lists_and_ranges(text, ids):
    assert shard_ids(text) == ids


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--shard-ids", "0"], "--shard-ids needs --shard-count"),
        (["--shard-ids", "0,2", "--shard-count", "2"], "shard ids run from 0 to 1 with --shard-count 2"),
        ([], "DISCORD_TOKEN is not set"),
    ],
    ids=["ids-without-count", "id-out-of-range", "no-token"],
)
def test_mistakes_are_explained_before_anything_connects(args, message, settings):
    settings.DISCORD_TOKEN = ""
    with pytest.raises(CommandError, match=message):
        call_command("bot", *args)


def test_the_command_list_is_still_a_subcommand(capsys):
    call_command("bot", "commands")
    assert "| command | what it does | options | needs |" in capsys.readouterr().out


def test_on_sqlite_the_split_deployment_is_refused_with_what_to_do_instead(settings):
    settings.DISCORD_TOKEN = "token-for-a-test-that-never-connects"
    settings.IRACING_CLIENT_ID = ""
    # On PostgreSQL the command goes on to its next requirement (and stops there: no iRacing credentials).
    expected = "needs PostgreSQL: set DATABASE_URL" if connection.vendor == "sqlite" else "iRacing credentials"
    with pytest.raises(CommandError, match=expected):
        call_command("bot")
