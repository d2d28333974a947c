"""The roster sync report stays inside Discord's embed limits without cutting an entry or losing the count."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from simlane.discord_bot.exts.numbers._report import sync_embed


@pytest.mark.parametrize(("count", "cut"), [(8, False), (40, True)], ids=["fits", "cut"])
def test_long_names_are_cut_but_every_shown_entry_keeps_its_number_and_the_rest_is_counted(count, cut):
    long = "Maximilian-Alexander von Sehrlangernamen-Rennfahrer " * 4
    unclaimed = [{"cust_id": 100000 + i, "iracing_name": long, "number": str(i), "user_id": None} for i in range(count)]
    mismatch = [
        {"user_id": 10**18 + i, "number": str(i), "iracing_number": str(500 + i), "cust_id": i, "iracing_name": long}
        for i in range(count)
    ]
    embed = sync_embed({"synced": [], "unclaimed": unclaimed, "mismatch": mismatch}, datetime(2026, 3, 3, tzinfo=UTC))
    for field in embed.fields[1:]:
        value = str(field.value)
        assert len(value) <= 1024
        entries = value.split("\n")
        if cut:
            hint = entries.pop()
            assert 0 < len(entries) < count and hint == f"… and {count - len(entries)} more (`/export`)"
        else:
            assert len(entries) == count
        for i, line in enumerate(entries):
            if str(field.name).startswith("🔓"):
                assert line.startswith(f"#{i}: Maximilian") and line.endswith(f"… ({100000 + i})")
            else:
                assert line.startswith(f"<@{10**18 + i}> claimed #{i}, iRacing has #{500 + i} for Maximilian")
                assert line.endswith("…")
