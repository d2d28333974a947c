"""Make user text safe to show in Discord: no markdown effects, no mentions, within length limits.

Every feature that sends text to Discord uses this module, so the rules live once."""

from __future__ import annotations

import re

import discord
from discord.utils import escape_markdown

# Sent with every message whose text names members or roles: the names show, nobody is pinged.
NO_MENTIONS = discord.AllowedMentions.none()

_MENTION = re.compile(r"@(everyone|here)|<(@[!&]?|#)(\d+)>")


def discord_safe(text: str, *, limit: int | None = None) -> str:
    """Escape markdown and neutralise mentions (a zero-width space breaks them), then cut to ``limit``."""
    escaped = escape_markdown(text or "", as_needed=False)
    escaped = _MENTION.sub(lambda m: m.group(0).replace("@", "@\u200b").replace("<#", "<#\u200b"), escaped)
    if limit is not None and len(escaped) > limit:
        escaped = escaped[: limit - 1].rstrip("\\") + "…"
    return escaped
