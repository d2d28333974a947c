"""Who exists in the stand-in's Discord: users, servers, members' permissions, and whether the bot is there.

``World`` is what the stand-in reads; ``MemoryWorld`` is a plain in-memory one for tests that need no bot, and
``simcord_world.SimcordWorld`` reads simcord's (the offline Discord the bot runs in), so a server added in the demo
is the one the bot sees.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

ADMINISTRATOR = 1 << 3
MANAGE_GUILD = 1 << 5
# What @everyone may do on a new Discord server (View Channels, Send Messages, Read History, …), as a plain member.
MEMBER_PERMISSIONS = 1024 | 2048 | 65536 | 16384 | 32768 | 1 << 31


@dataclass(frozen=True)
class StandinUser:
    id: int
    username: str
    global_name: str
    description: str = ""  # shown on the login page, e.g. "admin of SimLane Demo Club"


@dataclass(frozen=True)
class GuildView:
    """A server as one user sees it in ``/users/@me/guilds``."""

    id: int
    name: str
    owner: bool
    permissions: int
    bot_present: bool


class World(Protocol):
    def users(self) -> list[StandinUser]: ...

    def user(self, user_id: int) -> StandinUser | None: ...

    def guilds_of(self, user_id: int) -> list[GuildView]: ...

    def add_bot(self, guild_id: int, *, by_user_id: int, permissions: int) -> GuildView: ...


@dataclass
class MemoryGuild:
    id: int
    name: str
    owner_id: int
    members: dict[int, int] = field(default_factory=dict)  # user id → server-wide permissions
    bot_present: bool = False
    bot_permissions: int = 0


class MemoryWorld:
    """Users and servers held in memory; ``add_bot`` just marks the bot present."""

    def __init__(self) -> None:
        self._users: dict[int, StandinUser] = {}
        self.guilds: dict[int, MemoryGuild] = {}

    def add_user(self, user_id: int, username: str, global_name: str = "", description: str = "") -> StandinUser:
        user = StandinUser(user_id, username, global_name or username, description)
        self._users[user_id] = user
        return user

    def add_guild(self, guild_id: int, name: str, *, owner_id: int, bot_present: bool = False) -> MemoryGuild:
        guild = MemoryGuild(guild_id, name, owner_id, bot_present=bot_present)
        guild.members[owner_id] = ADMINISTRATOR | MEMBER_PERMISSIONS
        self.guilds[guild_id] = guild
        return guild

    def add_member(self, guild_id: int, user_id: int, permissions: int = MEMBER_PERMISSIONS) -> None:
        self.guilds[guild_id].members[user_id] = permissions

    def users(self) -> list[StandinUser]:
        return list(self._users.values())

    def user(self, user_id: int) -> StandinUser | None:
        return self._users.get(user_id)

    def _view(self, guild: MemoryGuild, user_id: int) -> GuildView:
        return GuildView(guild.id, guild.name, guild.owner_id == user_id, guild.members[user_id], guild.bot_present)

    def guilds_of(self, user_id: int) -> list[GuildView]:
        return [self._view(g, user_id) for g in self.guilds.values() if user_id in g.members]

    def add_bot(self, guild_id: int, *, by_user_id: int, permissions: int) -> GuildView:
        guild = self.guilds[guild_id]
        guild.bot_present = True
        guild.bot_permissions = permissions
        return self._view(guild, by_user_id)


# Ids of the demo world: fixed so tests, the demo and the README can name them.
DEMO_MEMBER_ID = 310000000000000001
DEMO_ADMIN_ID = 310000000000000002
DEMO_GUILD_ID = 320000000000000001
DEMO_OTHER_GUILD_ID = 320000000000000002
DEMO_SECOND_GUILD_ID = 320000000000000003


def demo_world() -> MemoryWorld:
    """Two demo users: a member, and the admin (Manage Server) of "SimLane Demo Club", where the bot is not yet."""
    world = MemoryWorld()
    world.add_user(DEMO_MEMBER_ID, "demo_member", "Demo Member", "a member of SimLane Demo Club")
    world.add_user(DEMO_ADMIN_ID, "demo_admin", "Demo Server Admin", "can manage SimLane Demo Club")
    world.add_guild(DEMO_GUILD_ID, "SimLane Demo Club", owner_id=DEMO_ADMIN_ID)
    world.add_member(DEMO_GUILD_ID, DEMO_MEMBER_ID)
    world.add_guild(DEMO_SECOND_GUILD_ID, "Thursday Night Endurance", owner_id=DEMO_ADMIN_ID)
    # A server where the demo admin is only a member: it must not be offered to them.
    world.add_user(310000000000000003, "someone_else", "Someone Else", "owns Another League")
    world.add_guild(DEMO_OTHER_GUILD_ID, "Another League", owner_id=310000000000000003)
    world.add_member(DEMO_OTHER_GUILD_ID, DEMO_ADMIN_ID)
    world.add_member(DEMO_OTHER_GUILD_ID, DEMO_MEMBER_ID)
    return world
