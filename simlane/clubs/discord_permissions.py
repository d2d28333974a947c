"""The Discord permissions each SimLane feature needs: the one list the bot invite (and later the health page) uses.

Bit values are Discord's (``topics/permissions``). Create Events (1 << 44) and Pin Messages (1 << 51) were split
out of Manage Events and Manage Messages in February 2026: a bot invited without them cannot create scheduled
events or pin messages, so they are asked for explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass

# Discord permission names (as a league admin sees them) → bit value.
PERMISSION_BITS: dict[str, int] = {
    "Manage Channels": 1 << 4,
    "Manage Server": 1 << 5,
    "View Channels": 1 << 10,
    "Send Messages": 1 << 11,
    "Embed Links": 1 << 14,
    "Attach Files": 1 << 15,
    "Read Message History": 1 << 16,
    "Connect": 1 << 20,
    "Move Members": 1 << 24,
    "Manage Roles": 1 << 28,
    "Manage Events": 1 << 33,
    "Manage Threads": 1 << 34,
    "Create Public Threads": 1 << 35,
    "Create Private Threads": 1 << 36,
    "Send Messages in Threads": 1 << 38,
    "Create Events": 1 << 44,
    "Pin Messages": 1 << 51,
}
ADMINISTRATOR = 1 << 3
MANAGE_GUILD = PERMISSION_BITS["Manage Server"]

_POSTING = ("View Channels", "Send Messages", "Embed Links", "Attach Files", "Read Message History")


@dataclass(frozen=True)
class Feature:
    key: str
    label: str
    permissions: tuple[str, ...]


FEATURES: tuple[Feature, ...] = (
    Feature("results", "Race results posts", _POSTING),
    Feature("car_numbers", "Car numbers", _POSTING),
    Feature(
        "events",
        "Events: channels, threads, roles, scheduled events and voice",
        (
            "Manage Channels",
            "Manage Roles",
            "Manage Threads",
            "Create Public Threads",
            "Create Private Threads",
            "Send Messages in Threads",
            "Manage Events",
            "Create Events",
            "Pin Messages",
            "Connect",
            "Move Members",
        ),
    ),
)


def permissions_value(names: tuple[str, ...] | list[str]) -> int:
    """The permissions integer of these permission names."""
    value = 0
    for name in names:
        value |= PERMISSION_BITS[name]
    return value


def invite_permissions() -> int:
    """The permissions integer of the bot invite: every permission any SimLane feature needs, nothing more."""
    value = 0
    for feature in FEATURES:
        value |= permissions_value(feature.permissions)
    return value


def can_manage_guild(permissions: int, *, owner: bool = False) -> bool:
    """Whether a member with these server-wide permissions may configure the server (owner, Administrator or Manage
    Server, as Discord decides it)."""
    return owner or bool(permissions & (ADMINISTRATOR | MANAGE_GUILD))
