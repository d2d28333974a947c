"""The roster as a CSV file that is safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

from .models import MemberLink, NumberClaim

HEADER = [
    "pool",
    "number",
    "status",
    "iracing_number",
    "discord_user_id",
    "discord_name",
    "cust_id",
    "iracing_name",
    "verified",
    "claimed_at",
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """Text a spreadsheet shows as text: a leading formula character is neutralised with a quote (OWASP CSV
    injection advice), so a member called ``=HYPERLINK(...)`` stays a name."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def roster_csv(claims: list[NumberClaim], links: dict[int, MemberLink]) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads accents right), one row per active claim."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for c in claims:
        link = links.get(c.discord_user_id)
        writer.writerow(
            cell(v)
            for v in (
                c.pool,
                c.number,
                c.status,
                c.iracing_number,
                c.discord_user_id,
                c.discord_name,
                link.cust_id if link else "",
                link.iracing_name if link else "",
                "yes" if link and link.verified else "no",
                c.created_at.strftime("%Y-%m-%d %H:%M UTC"),
            )
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
