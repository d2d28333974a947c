"""Event notices on the web: a member's own choices (reminders by DM, signup nudges) and the club's (stint alert
offsets, nudges at all). Thin POST views over ``events.notices.prefs``, the same service ``/reminders`` uses; a
member changes only their own choices (the logged-in Discord user's), an admin the club's."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from simlane.clubs.permissions import ClubAccess, club_admin_required, club_member_required
from simlane.core.errors import ApplicationError
from simlane.events.notices import prefs


class MyNoticesForm(forms.Form):
    dms = forms.BooleanField(required=False)
    nudges = forms.BooleanField(required=False)


class ClubNoticesForm(forms.Form):
    stint_alert_offsets = forms.CharField(required=False, max_length=200)
    nudge_unanswered = forms.BooleanField(required=False)


def _on(value: bool) -> str:
    return "on" if value else "off"


@require_POST
@club_member_required
def my_notices(request: HttpRequest, access: ClubAccess) -> HttpResponse:
    form = MyNoticesForm(request.POST)
    form.is_valid()  # two checkboxes: absent means off, nothing can be invalid
    saved = prefs.notice_prefs_update(
        club=access.club,
        discord_user_id=access.discord_user_id,
        dms=form.cleaned_data["dms"],
        nudges=form.cleaned_data["nudges"],
    )
    messages.success(request, f"Saved: event reminders by DM {_on(saved.dms)}, signup nudges {_on(saved.nudges)}.")
    return redirect(reverse("web:club", args=[access.guild.id]) + "#my-notices")


@require_POST
@club_admin_required
def club_notices(request: HttpRequest, access: ClubAccess) -> HttpResponse:
    form = ClubNoticesForm(request.POST)
    back = redirect(reverse("web:club_settings", args=[access.guild.id]) + "#event-notices")
    if not form.is_valid():
        messages.error(request, "The form was not understood. Nothing was changed.")
        return back
    try:
        prefs.club_notice_settings_update(
            club=access.club,
            actor_id=access.discord_user_id,
            stint_alert_offsets=form.cleaned_data["stint_alert_offsets"],
            nudge_unanswered=form.cleaned_data["nudge_unanswered"],
        )
    except ApplicationError as exc:
        messages.error(request, f"{exc.message} Nothing was changed.")
        return back
    messages.success(request, "Event notice settings saved.")
    return back
