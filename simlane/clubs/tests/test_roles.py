"""The one admin rule the bot's checks and the web share."""

from __future__ import annotations

import pytest

from simlane.clubs.models import ClubRole
from simlane.clubs.roles import club_role, is_admin_role

ADMIN_ROLE = 900


@pytest.mark.parametrize(
    ("manage_server", "owner", "role_ids", "admin_role_id", "expected"),
    [
        (False, True, [], None, ClubRole.OWNER),
        (True, False, [], None, ClubRole.ADMIN),
        (False, False, [1, ADMIN_ROLE], ADMIN_ROLE, ClubRole.ADMIN),
        (False, False, [1, 2], ADMIN_ROLE, ClubRole.MEMBER),
        (False, False, [ADMIN_ROLE], None, ClubRole.MEMBER),
        (False, False, [], None, ClubRole.MEMBER),
    ],
    ids=["owner", "manage-server", "holds-admin-role", "other-roles", "no-admin-role-set", "plain-member"],
)
def test_club_role(manage_server, owner, role_ids, admin_role_id, expected):
    role = club_role(manage_server=manage_server, owner=owner, member_role_ids=role_ids, admin_role_id=admin_role_id)
    assert role == expected
    assert is_admin_role(role) is (expected != ClubRole.MEMBER)
