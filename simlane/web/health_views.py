"""The bot-health partial: what SimLane can and cannot do on a server, refreshed in place by htmx."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from simlane.clubs.health.selectors import health_view
from simlane.clubs.intents.selectors import intent_list
from simlane.clubs.permissions import ClubAccess, club_member_required


@require_GET
@club_member_required
def health(request: HttpRequest, access: ClubAccess) -> HttpResponse:
    """``web/_health.html`` alone; the club overview includes the same partial with the same context."""
    guild = access.guild
    context = {
        "guild": guild,
        "health": health_view(guild_id=guild.id, now=timezone.now()),
        "intents": intent_list(guild_id=guild.id, limit=5),
    }
    return render(request, "web/_health.html", context)
