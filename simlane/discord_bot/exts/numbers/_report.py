"""The roster sync report as an embed (shared by `/sync` and `/syncstatus`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import discord

from simlane.discord_bot.escaping import discord_safe

FIELD_LIMIT = 1024  # Discord's limit for an embed field value
NAME_LIMIT = 40  # a long iRacing name is cut, never the number or the mention beside it


def _line(fmt: str, item: dict[str, Any]) -> str:
    safe = {
        k: discord_safe(v, limit=NAME_LIMIT if k == "iracing_name" else None) if isinstance(v, str) else v
        for k, v in item.items()
    }
    return fmt.format(**safe)


def _rows(items: list[dict[str, Any]], fmt: str, limit: int = 15) -> str:
    """Whole lines while they fit, then "… and N more": an entry is never cut in the middle."""
    lines = [_line(fmt, i) for i in items]
    longest_hint = len(f"\n… and {len(lines)} more (`/export`)")
    shown: list[str] = []
    used = 0
    for line in lines[:limit]:
        cost = len(line) + (1 if shown else 0)
        room = FIELD_LIMIT - (0 if len(shown) + 1 == len(lines) else longest_hint)
        if used + cost > room:
            break
        shown.append(line)
        used += cost
    if len(shown) < len(lines):
        shown.append(f"… and {len(lines) - len(shown)} more (`/export`)")
    return "\n".join(shown)


SECTIONS = (
    (
        "⚠️ Different number in iRacing (change it there)",
        "mismatch",
        "<@{user_id}> claimed #{number}, iRacing has #{iracing_number} for {iracing_name}",
    ),
    ("⏳ To assign in iRacing", "to_assign", "{iracing_name}: set #{number} (<@{user_id}>)"),
    (
        "🔎 Roster shows the linked account with this number (`/verify` if it is theirs)",
        "to_verify",
        "<@{user_id}> #{number}: {iracing_name} ({cust_id})",
    ),
    ("❔ Not in the league roster", "not_in_roster", "<@{user_id}> #{number}"),
    ("🔓 Numbers in iRacing nobody claimed here", "unclaimed", "#{number}: {iracing_name} ({cust_id})"),
)


def sync_embed(report: dict[str, Any], when: datetime) -> discord.Embed:
    """What matches and what an admin must change in iRacing (there is no write API)."""
    embed = discord.Embed(title="iRacing league roster sync", timestamp=when)
    embed.add_field(name="✅ Synced", value=str(len(report.get("synced", []))), inline=True)
    for title, key, fmt in SECTIONS:
        items = report.get(key, [])
        if items:
            embed.add_field(name=f"{title} ({len(items)})", value=_rows(items, fmt), inline=False)
    embed.set_footer(text="iRacing has no write API: change numbers in the league's admin pages, then /sync again")
    return embed
