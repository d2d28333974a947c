"""The one rule for who administers SimLane on a server, shared by the bot's command checks and the web.

Pure: the bot feeds it what Discord put in the interaction, the web what the member's own server list and the
member sync recorded, so both decide the same way.
"""

from __future__ import annotations

from collections.abc import Iterable

from .models import ClubRole


def club_role(
    *, manage_server: bool, owner: bool, member_role_ids: Iterable[int], admin_role_id: int | None
) -> ClubRole:
    """Owner; admin with Manage Server (or Administrator) or the server's SimLane admin role; otherwise member."""
    if owner:
        return ClubRole.OWNER
    if manage_server or (admin_role_id is not None and admin_role_id in set(member_role_ids)):
        return ClubRole.ADMIN
    return ClubRole.MEMBER


def is_admin_role(role: ClubRole | str) -> bool:
    """Whether this club role may change SimLane's settings."""
    return role in (ClubRole.OWNER, ClubRole.ADMIN)
