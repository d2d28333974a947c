"""`/event create|list|info|cancel` (thin: parse, call the events services, answer privately)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from simlane.discord_bot.bot.checks import configuration_command
from simlane.discord_bot.escaping import discord_safe
from simlane.discord_bot.exts.schedule._cog import series_choices
from simlane.discord_bot.ids import typed_id
from simlane.events import aio
from simlane.events.card import card_embed, stamp
from simlane.events.models import EventKind, EventSource
from simlane.events.parsing import parse_utc
from simlane.events.permissions import EventNotFound
from simlane.events.services import EventError
from simlane.events.services.events import ClassSpec, EventSpec

from ._shared import actor_of

if TYPE_CHECKING:
    from simlane.discord_bot.bot import SimLaneBot


async def track_choices(_interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    rows = await aio.track_search(term=current)
    return [app_commands.Choice(name=str(t)[:100], value=str(t.track_id)) for t in rows]


async def class_choices(_interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    rows = await aio.car_class_search(term=current)
    return [app_commands.Choice(name=c.name[:100], value=str(c.car_class_id)) for c in rows]


def _id(value: str | None, what: str) -> int | None:
    if value is None or not value.strip():
        return None
    found = typed_id(value)
    if found is None:
        raise EventError(f"Pick the {what} from the list as you type.")
    return found


class EventsCog(commands.Cog):
    event = app_commands.Group(
        name="event", description="Club events: signups, teams, the event channel", guild_only=True
    )

    def __init__(self, bot: SimLaneBot) -> None:
        self.bot = bot

    @configuration_command()
    @event.command(name="create", description="Create an event with a signup card (admins)")
    @app_commands.describe(
        title="What the event is called",
        race="Race start, UTC: YYYY-MM-DD HH:MM",
        track="The track (pick from the list); for a series, its week's track is used",
        series="An official series (optional; pick from the list)",
        car_class="The car class (optional; pick from the list)",
        capacity="Drivers who can race in the class (default 20)",
        kind="Solo, or teams of several drivers",
        drivers_per_team="Team events: the most drivers a team has (default 2)",
        duration="Race length in minutes (default 60)",
        signups_close="When signups close, UTC: YYYY-MM-DD HH:MM (default one hour before the race)",
    )
    @app_commands.choices(
        kind=[app_commands.Choice(name="Solo", value="solo"), app_commands.Choice(name="Team", value="team")]
    )
    @app_commands.autocomplete(track=track_choices, series=series_choices, car_class=class_choices)
    async def create(
        self,
        interaction: discord.Interaction,
        title: app_commands.Range[str, 1, 100],
        race: str,
        track: str | None = None,
        series: str | None = None,
        car_class: str | None = None,
        capacity: app_commands.Range[int, 1, 500] = 20,
        kind: str = "solo",
        drivers_per_team: app_commands.Range[int, 1, 16] = 2,
        duration: app_commands.Range[int, 1, 2880] = 60,
        signups_close: str | None = None,
    ) -> None:
        actor = await actor_of(interaction)
        club = await aio.club_of_guild(guild_id=interaction.guild_id or 0)
        if club is None:
            raise EventNotFound("This server does not run events with SimLane.")
        race_at = parse_utc(race)
        series_id, week = _id(series, "series"), None
        if series_id is not None:
            week = await aio.official_week(series_id=series_id, race_at=race_at)
            if week is None:
                raise EventError("That series has no race week on that date in SimLane's synced schedule.")
        class_id = _id(car_class, "car class")
        spec = EventSpec(
            title=title,
            race_at=race_at,
            kind=kind if kind in EventKind.values else EventKind.SOLO,
            source=EventSource.OFFICIAL if week is not None else EventSource.CUSTOM,
            track_id=_id(track, "track") if week is None else None,
            series_id=series_id,
            season_id=week.season.season_id if week is not None else None,
            race_week_num=week.race_week_num if week is not None else None,
            duration_minutes=duration,
            team_min_drivers=1 if kind == EventKind.TEAM else None,
            team_max_drivers=drivers_per_team if kind == EventKind.TEAM else None,
            classes=[ClassSpec(name="" if class_id else "Open", capacity=capacity, car_class_id=class_id)],
            closes_at=parse_utc(signups_close) if signups_close else None,
        )
        if spec.track_id is None and week is None:
            raise EventError("Choose a track (or an official series) for the event.")
        created = await aio.event_create(actor=actor, club=club, spec=spec, now=self.bot.now())
        await interaction.response.send_message(
            f"Created **{discord_safe(created.title)}** (event {created.id}), racing {stamp(created.race_at)}. "
            "SimLane posts its signup card in a moment.",
            ephemeral=True,
        )

    @event.command(name="list", description="Upcoming events of this server")
    async def list_(self, interaction: discord.Interaction) -> None:
        actor = await actor_of(interaction)
        if not actor.is_member:
            raise EventNotFound("Only members of this server see its events.")
        rows = await aio.event_list(club_id=actor.club_id)
        if not rows:
            await interaction.response.send_message(
                "No upcoming events. Admins create one with `/event create`.", ephemeral=True
            )
            return
        lines = [
            f"`{e.id}` **{discord_safe(e.title, limit=80)}** — {stamp(e.race_at)} ({stamp(e.race_at, 'R')}), "
            f"{discord_safe(e.track_name, limit=60) or 'track to be announced'}"
            for e in rows[:15]
        ]
        more = f"\n+{len(rows) - 15} more on the dashboard" if len(rows) > 15 else ""
        await interaction.response.send_message("\n".join(lines)[:1900] + more, ephemeral=True)

    @event.command(name="info", description="An event's details, classes and roster")
    @app_commands.describe(event="The event (pick from the list)")
    async def info(self, interaction: discord.Interaction, event: str) -> None:
        actor = await actor_of(interaction)
        event_id = _id(event, "event") or 0
        view = await aio.event_view(club_id=actor.club_id, event_id=event_id) if actor.is_member else None
        if view is None:
            raise EventNotFound("No such event in this server.")
        embed = card_embed(view.state, self.bot.now())
        mine = view.state.signup_of(actor.member_id)
        text = f"You are {mine.status} in {discord_safe(mine.event_class.name)}." if mine else "You are not signed up."
        await interaction.response.send_message(text, embed=discord.Embed.from_dict(embed), ephemeral=True)

    @configuration_command()
    @event.command(name="cancel", description="Cancel an event (admins)")
    @app_commands.describe(event="The event (pick from the list)")
    async def cancel(self, interaction: discord.Interaction, event: str) -> None:
        actor = await actor_of(interaction)
        cancelled = await aio.event_cancel(actor=actor, event_id=_id(event, "event") or 0, now=self.bot.now())
        await interaction.response.send_message(
            f"Cancelled **{discord_safe(cancelled.title)}**; its card says so in a moment.", ephemeral=True
        )

    @info.autocomplete("event")
    @cancel.autocomplete("event")
    async def _event_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        # The rule `/event list` and `/event info` apply: only the club's members see its events, titles too.
        try:
            actor = await actor_of(interaction)
        except EventNotFound:
            return []
        if not actor.is_member:
            return []
        rows = await aio.event_search(club_id=actor.club_id, term=current)
        return [
            app_commands.Choice(name=f"{e.title} — {e.race_at:%Y-%m-%d %H:%M} UTC"[:100], value=str(e.id)) for e in rows
        ]
