"""The dashboard's settings forms: they only type-check what was typed; the rules live in each app's services.

The bounds mirror the slash commands' own (``app_commands.Range``), so the web accepts exactly what `/setup`,
`/results limit` and `/raceguide follow` accept.
"""

from __future__ import annotations

import re

from django import forms

from simlane.clubs.models import ArchiveMode, ResultsPing
from simlane.racenumbers.models import OnLeave
from simlane.results.models import ResultsMode
from simlane.results.services import MAX_TRACKED_PER_GUILD

YES_NO = (("yes", "Yes"), ("no", "No"))


# Discord snowflakes are 64-bit (19 digits today) and stored in a BigIntegerField: at most 2**63 - 1.
_SNOWFLAKE = re.compile(r"[0-9]{1,19}")
MAX_SNOWFLAKE = 2**63 - 1


def _ids_only(value: str) -> str:
    # ASCII digits only: "１２" or "12²" is refused, never read as a number (as everywhere SimLane reads ids).
    value = value.strip()
    if value and (not _SNOWFLAKE.fullmatch(value) or int(value) > MAX_SNOWFLAKE):
        raise forms.ValidationError("A Discord id is made of the digits 0–9 only (right-click → Copy ID).")
    return value


class ResultsForm(forms.Form):
    channel_id = forms.CharField(required=False, max_length=20, label="Results channel id")
    mode = forms.ChoiceField(choices=ResultsMode.choices, label="Races")
    include_hosted = forms.BooleanField(required=False, label="Also post hosted sessions")
    include_league = forms.BooleanField(required=False, label="Also post league sessions")

    def clean_channel_id(self) -> str:
        return _ids_only(self.cleaned_data["channel_id"])


class TrackingLimitForm(forms.Form):
    per_member = forms.IntegerField(min_value=1, max_value=MAX_TRACKED_PER_GUILD, label="Drivers per member")


class NumbersForm(forms.Form):
    league_id = forms.IntegerField(required=False, min_value=1, label="iRacing league id")
    min_number = forms.IntegerField(min_value=0, max_value=999, label="Lowest number")
    max_number = forms.IntegerField(min_value=0, max_value=999, label="Highest number")
    leading_zeros_distinct = forms.ChoiceField(choices=YES_NO, label="07 and 7 are different numbers")
    pools = forms.CharField(required=False, max_length=2000, label="Pools (comma-separated)")
    sync_pools = forms.CharField(required=False, max_length=2000, label="Pools the roster sync reconciles")
    on_leave = forms.ChoiceField(choices=OnLeave.choices, label="Members who leave")
    auto_sync_minutes = forms.IntegerField(min_value=0, max_value=1440, label="Auto-sync every (minutes, 0: off)")


class FollowForm(forms.Form):
    series_id = forms.IntegerField(min_value=1, label="Series")


class AdminRoleForm(forms.Form):
    role_id = forms.CharField(required=False, max_length=20, label="Admin role id (empty: Manage Server only)")

    def clean_role_id(self) -> str:
        return _ids_only(self.cleaned_data["role_id"])


class ProposalForm(forms.Form):
    member_id = forms.CharField(max_length=20, label="Member")
    cust_id = forms.IntegerField(required=False, min_value=1, max_value=MAX_SNOWFLAKE, label="iRacing customer id")

    def clean_member_id(self) -> str:
        return _ids_only(self.cleaned_data["member_id"])


class DiscordSettingsForm(forms.Form):
    auto_create_channels = forms.BooleanField(required=False, label="Create a channel for each event")
    channel_name_pattern = forms.CharField(max_length=200, label="Event channel name")
    results_ping = forms.ChoiceField(choices=ResultsPing.choices, label="Results posts mention")
    results_ping_role_id = forms.CharField(required=False, max_length=20, label="Role id to mention")
    reminder_offsets = forms.CharField(required=False, max_length=200, label="Reminders before an event")
    # Event Discord settings: left out of a post, they stay as they are.
    archive_mode = forms.ChoiceField(choices=[("", ""), *ArchiveMode.choices], required=False)
    archive_delay_hours = forms.IntegerField(required=False, label="Tidy away after the race (hours)")
    race_voice_hours = forms.IntegerField(required=False, label="Open race voice before the start (hours)")
    team_roles = forms.ChoiceField(choices=[("", ""), ("yes", "Yes"), ("no", "No")], required=False)

    def clean_results_ping_role_id(self) -> str:
        return _ids_only(self.cleaned_data["results_ping_role_id"])
