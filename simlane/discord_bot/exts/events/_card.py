"""The signup card's buttons and the signup modal.

The buttons are persistent: each ``custom_id`` carries the event id (``simlane:event:<id>:signup``), and the bot
registers the item class at start-up (``bot.add_dynamic_items``), so a press after a restart still reaches
``EventButton.callback``. Every press is answered privately; who may do what is decided by the services through
``events.permissions``; the card itself is edited by the EVENT_SYNC intent the services queue.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import discord

from simlane.core.errors import ApplicationError
from simlane.events import aio
from simlane.events.models import EventKind
from simlane.events.parsing import parse_windows
from simlane.events.permissions import require_member_row
from simlane.events.selectors import SignupForm
from simlane.events.services import EventError

from ._shared import actor_of, logger, private

if TYPE_CHECKING:
    from simlane.discord_bot.bot import SimLaneBot

LABELS = {
    "signup": ("Sign up / change", discord.ButtonStyle.success),
    "withdraw": ("Withdraw", discord.ButtonStyle.secondary),
}
FAILED = "That didn't work; nothing was changed. Try again in a moment."


def custom_id(event_id: int, action: str) -> str:
    return f"simlane:event:{event_id}:{action}"


class EventButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"simlane:event:(?P<id>[0-9]{1,20}):(?P<action>signup|withdraw)",
):
    def __init__(self, event_id: int, action: str, *, disabled: bool = False) -> None:
        label, style = LABELS[action]
        super().__init__(
            discord.ui.Button(label=label, style=style, custom_id=custom_id(event_id, action), disabled=disabled)
        )
        self.event_id, self.action = event_id, action

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> EventButton:
        return cls(int(match["id"]), match["action"])

    async def callback(self, interaction: discord.Interaction) -> None:
        # discord.py only logs what a dynamic item's callback raises, so every outcome is answered here.
        try:
            if self.action == "signup":
                await self._signup(interaction)
            else:
                await self._withdraw(interaction)
        except ApplicationError as exc:
            await private(interaction, exc.message)
        except Exception:
            logger.exception("event %s: %s press failed", self.event_id, self.action)
            await private(interaction, FAILED)

    async def _signup(self, interaction: discord.Interaction) -> None:
        actor = await actor_of(interaction)
        form = await aio.signup_form(club_id=actor.club_id, event_id=self.event_id, member_id=actor.member_id)
        if form is None:
            raise EventError("No such event in this club.")
        require_member_row(actor)
        await interaction.response.send_modal(SignupModal(form))

    async def _withdraw(self, interaction: discord.Interaction) -> None:
        bot: SimLaneBot = interaction.client  # type: ignore[assignment]
        actor = await actor_of(interaction)
        await aio.signup_withdraw_mine(actor=actor, event_id=self.event_id, now=bot.now())
        await private(interaction, "You are withdrawn. The card updates in a moment.")


def card_view(event_id: int, *, signups_open: bool, withdraw_open: bool) -> discord.ui.View | None:
    """The card's buttons (none once the event is over or cancelled). No timeout: they live as long as the card."""
    if not signups_open and not withdraw_open:
        return None
    view = discord.ui.View(timeout=None)
    view.add_item(EventButton(event_id, "signup", disabled=not signups_open))
    view.add_item(EventButton(event_id, "withdraw", disabled=not withdraw_open))
    return view


class SignupModal(discord.ui.Modal):
    """Class (a menu of the event's classes), car, preferred number and, for team events, availability."""

    def __init__(self, form: SignupForm) -> None:
        super().__init__(title=f"Sign up: {form.title}"[:45], custom_id=f"simlane:event:{form.event_id}:form")
        self.form = form
        self.car_class: discord.ui.Select[Any] = discord.ui.Select(
            custom_id="class",
            options=[
                discord.SelectOption(
                    label=name[:100],
                    value=str(class_id),
                    description=f"{label} taken"[:100],
                    default=class_id == (form.current_class_id or form.classes[0][0]),
                )
                for class_id, name, label in form.classes[:25]
            ],
        )
        self.add_item(discord.ui.Label(text="Car class", component=self.car_class))
        current_car = form.cars.get(form.current_car_id or 0, "")
        self.car: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label="Car (optional)",
            custom_id="car",
            required=False,
            max_length=100,
            default=current_car or None,
            placeholder="part of the car's name; empty: decide later",
        )
        self.add_item(self.car)
        self.number: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label="Preferred car number (optional)",
            custom_id="number",
            required=False,
            max_length=4,
            default=form.current_number or None,
            placeholder="your number from the club's pools",
        )
        self.add_item(self.number)
        self.availability: discord.ui.TextInput[Any] | None = None
        if form.kind == EventKind.TEAM:
            self.availability = discord.ui.TextInput(
                label="When can you drive? (UTC, optional)",
                custom_id="availability",
                required=False,
                max_length=200,
                default=form.current_availability or None,
                placeholder="19:00-21:00, 23:00-01:00",
            )
            self.add_item(self.availability)

    def _car_id(self) -> int | None:
        typed = self.car.value.strip().casefold()
        if not typed:
            return None
        matches = [car_id for car_id, name in self.form.cars.items() if typed in name.casefold()]
        if typed.isdigit() and int(typed) in self.form.cars:
            return int(typed)
        if len(matches) == 1:
            return matches[0]
        if not self.form.cars:
            raise EventError("This event lists no cars to choose from; leave the car empty.")
        raise EventError("No single car of this event matches that name; type more of it, or leave it empty.")

    async def on_submit(self, interaction: discord.Interaction) -> None:
        try:
            bot: SimLaneBot = interaction.client  # type: ignore[assignment]
            actor = await actor_of(interaction)
            windows = (
                parse_windows(self.availability.value, race_at=self.form.race_at)
                if self.availability is not None and self.availability.value.strip()
                else None
            )
            outcome = await aio.signup_save(
                actor=actor,
                event_id=self.form.event_id,
                class_id=int(self.car_class.values[0]) if self.car_class.values else self.form.classes[0][0],
                car_id=self._car_id(),
                preferred_number=self.number.value.strip(),
                availability=windows,
                now=bot.now(),
            )
            await private(interaction, outcome.message)
        except ApplicationError as exc:
            await private(interaction, f"{exc.message} Nothing was changed.")
        except Exception:
            logging.getLogger(__name__).exception("event %s: signup form failed", self.form.event_id)
            await private(interaction, FAILED)
