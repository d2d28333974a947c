"""The stand-in's world read from simcord, the offline Discord the bot runs in (the demo's, and the tests').

Servers the bot is in are simcord's own, with each member's permissions computed by simcord from their roles;
servers it has not joined yet wait in a ``MemoryWorld`` (simcord's bot is in every server simcord has). Adding the
bot creates the waiting server in simcord, with its owner and members, so the bot receives it (GUILD_CREATE) at
once: the server added in the browser is the one the bot sees.
"""

from __future__ import annotations

import discord
import simcord

from .world import GuildView, MemoryWorld, StandinUser


class SimcordWorld:
    def __init__(self, env: simcord.Env, *, logins: list[int], waiting: MemoryWorld | None = None) -> None:
        self.env = env
        self.logins = logins  # the users offered on the "log in as" page, in this order
        self.waiting = waiting or MemoryWorld()

    def users(self) -> list[StandinUser]:
        return [u for uid in self.logins if (u := self.user(uid)) is not None]

    def user(self, user_id: int) -> StandinUser | None:
        if user_id not in self.logins or user_id not in self.env.backend.users:
            return None
        waiting = self.waiting.user(user_id)
        user = self.env.backend.users[user_id]
        return StandinUser(user.id, user.name, user.global_name or user.name, waiting.description if waiting else "")

    def guilds_of(self, user_id: int) -> list[GuildView]:
        backend = self.env.backend
        joined = [
            GuildView(g.id, g.name, g.owner_id == user_id, backend.compute_permissions(g.id, user_id), True)
            for g in backend.guilds.values()
            if user_id in g.members
        ]
        known = {g.id for g in joined}
        return joined + [g for g in self.waiting.guilds_of(user_id) if g.id not in known]

    def add_bot(self, guild_id: int, *, by_user_id: int, permissions: int) -> GuildView:
        if guild_id in self.env.backend.guilds:
            return next(g for g in self.guilds_of(by_user_id) if g.id == guild_id)
        waiting = self.waiting.guilds.pop(guild_id)
        owner = simcord.UserHandle(self.env, self.env.backend.get_user(waiting.owner_id))
        guild = self.env.create_guild(waiting.name, id=guild_id, owner=owner)
        roles: dict[int, simcord.RoleHandle] = {}
        for user_id, member_permissions in waiting.members.items():
            if user_id == waiting.owner_id:
                continue
            # One role per distinct permission set reproduces each member's server-wide permissions.
            if member_permissions not in roles:
                roles[member_permissions] = guild.create_role(
                    f"Role {len(roles) + 1}", permissions=discord.Permissions(member_permissions)
                )
            guild.add_member(
                simcord.UserHandle(self.env, self.env.backend.get_user(user_id)), roles=[roles[member_permissions]]
            )
        return next(g for g in self.guilds_of(by_user_id) if g.id == guild_id)
