"""A club's events on the web: the list and the create form, an event's page (sign up, withdraw; admins: capacity,
close, cancel, the Discord status), the team draft and finalise page, and the iCalendar feeds.

Thin: every view builds the ``EventActor`` from the club access and calls the events services, which decide who
may act (``events.permissions``) — the rule the Discord card and `/event` use. Refusals of who asked are 403,
another club's event 404, bad input a message with nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from simlane.clubs.permissions import ClubAccess, club_member_required
from simlane.events import selectors
from simlane.events.actors import actor_for_web
from simlane.events.discord_objects.services import event_discord_retry
from simlane.events.ical import calendar_text
from simlane.events.models import CalendarFeed, Event, EventKind
from simlane.events.notices.ledger import notices_of_event
from simlane.events.parsing import parse_utc, parse_windows
from simlane.events.permissions import EventActor, EventNotFound, EventPermissionDenied, can_manage
from simlane.events.services import EventError
from simlane.events.services.calendar import calendar_feeds, calendar_rotate
from simlane.events.services.events import (
    ClassSpec,
    EventSpec,
    class_capacity_set,
    event_cancel,
    event_create,
    event_update,
    sheet_close_now,
)
from simlane.events.services.signups import signup_save, signup_withdraw, signup_withdraw_mine
from simlane.events.services.teams import TeamInput, stint_plan_set, team_draft, teams_finalise, teams_save


def _actor(access: ClubAccess) -> EventActor:
    return actor_for_web(club=access.club, discord_user_id=access.discord_user_id, role=access.role)


def _event_url(access: ClubAccess, event_id: int, anchor: str = "") -> str:
    return reverse("web:club_event", args=[access.guild.id, event_id]) + (f"#{anchor}" if anchor else "")


def _refusals(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """403 for who asked, 404 for another club's event; an ``EventError`` back to the page with its message."""

    @wraps(view)
    def wrapper(request: HttpRequest, access: ClubAccess, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, access, *args, **kwargs)
        except EventPermissionDenied as exc:
            raise PermissionDenied(exc.message) from exc
        except EventNotFound as exc:
            raise Http404(exc.message) from exc
        except EventError as exc:
            messages.error(request, f"{exc.message} Nothing was changed.")
            event_id = kwargs.get("event_id")
            target = _event_url(access, event_id) if event_id else reverse("web:club_events", args=[access.guild.id])
            return redirect(target)

    return wrapper


def _event_or_404(access: ClubAccess, event_id: int) -> Event:
    """This club's event, or a 404: another club's event id is as unknown as a made-up one."""
    event = selectors.event_get(club_id=access.club.id, event_id=event_id)
    if event is None:
        raise Http404("No such event in this club.")
    return event


@require_GET
@club_member_required
def events_page(request: HttpRequest, access: ClubAccess) -> HttpResponse:
    actor = _actor(access)
    club_feed, my_feed = calendar_feeds(actor=actor, club=access.club)
    context = {
        "access": access,
        "club": access.club,
        "tab": "events",
        "events": selectors.event_list(club_id=access.club.id),
        "club_feed": request.build_absolute_uri(reverse("web:calendar", args=[club_feed.token])) if club_feed else "",
        "my_feed": request.build_absolute_uri(reverse("web:calendar", args=[my_feed.token])) if my_feed else "",
        "now": timezone.now(),
    }
    return render(request, "web/club/events.html", context)


def _int(value: str | None, default: int, what: str = "That field") -> int:
    """A whole number from a form field; empty gives ``default``, anything else that is not one is refused (a typo
    in a capacity must not quietly become 20)."""
    value = (value or "").strip()
    if not value:
        return default
    if value.isascii() and value.isdigit() and len(value) < 7:
        return int(value)
    raise EventError(f"{what} must be a whole number (got {value[:20]!r}).")


def _time(value: str | None) -> datetime | None:
    return parse_utc(value) if value and value.strip() else None


@require_POST
@club_member_required
@_refusals
def event_create_view(request: HttpRequest, access: ClubAccess) -> HttpResponse:
    post = request.POST
    race_at = _time(post.get("race_at"))
    if race_at is None:
        raise EventError("Give the race start.")
    kind = post.get("kind", EventKind.SOLO)
    track_id = _int(post.get("track_id"), 0) or None
    spec = EventSpec(
        title=post.get("title", ""),
        race_at=race_at,
        kind=kind if kind in EventKind.values else EventKind.SOLO,
        track_id=track_id,
        track_name=post.get("track_name", "") if track_id is None else "",
        practice_at=_time(post.get("practice_at")),
        qualifying_at=_time(post.get("qualifying_at")),
        duration_minutes=_int(post.get("duration_minutes"), 60, "The race length"),
        team_min_drivers=_int(post.get("team_min_drivers"), 1, "Drivers per team") if kind == EventKind.TEAM else None,
        team_max_drivers=_int(post.get("team_max_drivers"), 2, "Drivers per team") if kind == EventKind.TEAM else None,
        classes=[
            ClassSpec(name=name.strip(), capacity=_int(cap, 20, f"The places of {name.strip()}"))
            for name, cap in zip(post.getlist("class_name"), post.getlist("class_capacity"), strict=False)
            if name.strip()
        ]
        or [ClassSpec(name="Open", capacity=20)],
        closes_at=_time(post.get("closes_at")),
        waitlist=post.get("waitlist", "on") == "on",
    )
    event = event_create(actor=_actor(access), club=access.club, spec=spec, now=timezone.now())
    messages.success(request, "Event created: SimLane posts its signup card on Discord in a moment.")
    return redirect(_event_url(access, event.id))


@require_GET
@club_member_required
@_refusals
def event_page(request: HttpRequest, access: ClubAccess, event_id: int) -> HttpResponse:
    event = _event_or_404(access, event_id)
    actor = _actor(access)
    state = selectors.event_state(event)
    context = {
        "access": access,
        "club": access.club,
        "tab": "events",
        "event": event,
        "state": state,
        "mine": state.signup_of(actor.member_id),
        "can_manage": can_manage(actor, access.club.id),
        "can_sign_up": actor.member_id is not None,
        "now": timezone.now(),
        "notices": notices_of_event(event_id=event.id),
    }
    return render(request, "web/club/event.html", context)


@require_POST
@club_member_required
@_refusals
def event_signup(request: HttpRequest, access: ClubAccess, event_id: int) -> HttpResponse:
    event = _event_or_404(access, event_id)
    windows_text = request.POST.get("availability", "").strip()
    outcome = signup_save(
        actor=_actor(access),
        event_id=event_id,
        class_id=_int(request.POST.get("class_id"), 0),
        car_id=_int(request.POST.get("car_id"), 0) or None,
        preferred_number=request.POST.get("preferred_number", "").strip(),
        availability=parse_windows(windows_text, race_at=event.race_at) if windows_text else None,
        now=timezone.now(),
    )
    (messages.warning if outcome.waitlisted else messages.success)(request, outcome.message)
    return redirect(_event_url(access, event_id, "signup"))


@require_POST
@club_member_required
@_refusals
def event_withdraw(request: HttpRequest, access: ClubAccess, event_id: int) -> HttpResponse:
    actor, signup_id = _actor(access), _int(request.POST.get("signup_id"), 0)
    if signup_id:
        signup_withdraw(actor=actor, signup_id=signup_id, now=timezone.now())
    else:
        signup_withdraw_mine(actor=actor, event_id=event_id, now=timezone.now())
    messages.success(request, "Withdrawn.")
    return redirect(_event_url(access, event_id, "signup"))


@require_POST
@club_member_required
@_refusals
def event_manage(request: HttpRequest, access: ClubAccess, event_id: int) -> HttpResponse:
    """Admin actions on the event page: a class's capacity, closing signups, cancelling, retrying Discord."""
    actor, now, action = _actor(access), timezone.now(), request.POST.get("action", "")
    _event_or_404(access, event_id)
    if action == "capacity":
        class_capacity_set(
            actor=actor,
            event_id=event_id,
            class_id=_int(request.POST.get("class_id"), 0),
            capacity=_int(request.POST.get("capacity"), 0, "Open places"),
            now=now,
        )
        messages.success(request, "Capacity saved; the waitlist moved up where places freed.")
    elif action == "edit":
        changes: dict[str, Any] = {
            "title": request.POST.get("title", ""),
            "track_name": request.POST.get("track_name", ""),
        }
        race_at = _time(request.POST.get("race_at"))
        if race_at is not None:
            changes["race_at"] = race_at
        changes["duration_minutes"] = _int(request.POST.get("duration_minutes"), 0, "The race length")
        event_update(actor=actor, event_id=event_id, changes=changes, now=now)
        messages.success(request, "Event saved; its card updates in a moment.")
    elif action == "close":
        sheet_close_now(actor=actor, event_id=event_id, now=now)
        messages.success(request, "Signups closed.")
    elif action == "cancel":
        event_cancel(actor=actor, event_id=event_id, now=now)
        messages.success(request, "Event cancelled; its card says so.")
    elif action == "discord_retry":
        event_discord_retry(actor=actor, event_id=event_id, now=now)
        messages.success(request, "SimLane will try the event's Discord setup again in a moment.")
    else:
        raise EventError("Unknown action.")
    return redirect(_event_url(access, event_id, "manage"))


@require_GET
@club_member_required
@_refusals
def teams_page(request: HttpRequest, access: ClubAccess, event_id: int) -> HttpResponse:
    event = _event_or_404(access, event_id)
    actor = _actor(access)
    if not can_manage(actor, access.club.id):
        raise PermissionDenied("Only this club's SimLane admins form teams.")
    state = selectors.event_state(event)
    draft = team_draft(event) if event.kind == EventKind.TEAM and not state.teams else []
    context = {
        "access": access,
        "club": access.club,
        "tab": "events",
        "event": event,
        "state": state,
        "draft": draft,
    }
    return render(request, "web/club/event_teams.html", context)


@require_POST
@club_member_required
@_refusals
def teams_save_view(request: HttpRequest, access: ClubAccess, event_id: int) -> HttpResponse:
    """Save the teams as the admin arranged them: each confirmed driver's select names a team ("" = none)."""
    event = _event_or_404(access, event_id)
    state = selectors.event_state(event)
    groups: dict[tuple[str, int], list[int]] = {}
    for cls in state.classes:
        for signup in cls.confirmed:
            name = request.POST.get(f"team_{signup.id}", "").strip()
            if name:
                groups.setdefault((name, cls.event_class.id), []).append(signup.id)
    teams = [TeamInput(name=name, class_id=class_id, signup_ids=ids) for (name, class_id), ids in groups.items()]
    actor = _actor(access)
    teams_save(actor=actor, event_id=event_id, teams=teams, now=timezone.now())
    if request.POST.get("finalise") == "yes":
        teams_finalise(actor=actor, event_id=event_id, now=timezone.now())
        messages.success(request, "Teams are final: car numbers given; SimLane sets up their Discord side.")
    else:
        messages.success(request, "Teams saved.")
    return redirect(reverse("web:club_event_teams", args=[access.guild.id, event_id]))


@require_POST
@club_member_required
@_refusals
def stints_save_view(request: HttpRequest, access: ClubAccess, event_id: int, team_id: int) -> HttpResponse:
    """A team's stint plan from a text box: one stint a line, ``HH:MM driver`` in UTC (the driver's name as shown)."""
    event = selectors.event_get(club_id=access.club.id, event_id=event_id)
    team = event.teams.filter(id=team_id).prefetch_related("members__signup__member").first() if event else None
    if event is None or team is None:
        raise Http404("No such team in this club.")
    by_name = {selectors.member_name(m.signup.member).casefold(): m.signup.member_id for m in team.members.all()}
    stints: list[tuple[int, datetime]] = []
    for line in filter(None, (raw.strip() for raw in request.POST.get("plan", "").splitlines())):
        at, _, name = line.partition(" ")
        member_id = by_name.get(name.strip().casefold())
        if member_id is None:
            raise EventError(f"“{name.strip()[:60]}” is not a driver of {team.name}.")
        start = parse_windows(f"{at}-{at}", race_at=event.race_at)[0][0] if ":" in at else None
        if start is None:
            raise EventError("Write each stint as `HH:MM driver` (UTC).")
        stints.append((member_id, start))
    stint_plan_set(actor=_actor(access), team_id=team.id, stints=stints, now=timezone.now())
    messages.success(request, f"Stint plan of {team.name} saved.")
    return redirect(reverse("web:club_event_teams", args=[access.guild.id, event_id]) + f"#team-{team.id}")


@require_POST
@club_member_required
@_refusals
def calendar_rotate_view(request: HttpRequest, access: ClubAccess) -> HttpResponse:
    calendar_rotate(actor=_actor(access), club=access.club, which=request.POST.get("which", "mine"))
    messages.success(request, "New calendar address made; the old one no longer works.")
    return redirect(reverse("web:club_events", args=[access.guild.id]) + "#calendar")


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed behind an unguessable token (no login: calendar apps cannot log in)."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("club"), token=token)
    body = calendar_text(feed, timezone.now(), domain=request.get_host().split(":")[0] or "simlane")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response
