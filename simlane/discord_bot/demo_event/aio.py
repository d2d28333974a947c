"""The async side of the demo event's database steps."""

from __future__ import annotations

from asgiref.sync import sync_to_async

from . import script

event_create_demo = sync_to_async(script.event_create_demo)
card_of = sync_to_async(script.card_of)
sign_up = sync_to_async(script.sign_up)
withdraw = sync_to_async(script.withdraw)
teams_form = sync_to_async(script.teams_form)
event_facts = sync_to_async(script.event_facts)
