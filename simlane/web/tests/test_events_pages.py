"""The events pages over HTTP (Django test client, logged in through the Discord stand-in): who may see and do
what, one club never sees another's events, signups from the web, teams, and the iCalendar feeds."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from simlane.clubs.models import Club, ClubMember
from simlane.discord_oauth_standin import DEMO_GUILD_ID, DEMO_MEMBER_ID
from simlane.events.models import CalendarFeed, Event, EventDiscordChannel, Signup, SignupStatus, Team
from simlane.events.permissions import EventActor
from simlane.events.services.events import ClassSpec, EventSpec, event_create
from simlane.events.services.signups import signup_save

from .clubs_setup import DELEGATED_ID, MANAGER_ID, OUTSIDER_ID, ClubSetup, populate
from .conftest import login

pytestmark = pytest.mark.django_db
C = f"/dashboard/clubs/{DEMO_GUILD_ID}/"


def make_event(club: Club, title: str = "Thursday GT3", *, kind: str = "solo", capacity: int = 20) -> Event:
    admin = EventActor(club_id=club.id, discord_user_id=1, role="admin")  # type: ignore[arg-type]
    team = {"team_min_drivers": 2, "team_max_drivers": 2} if kind == "team" else {}
    spec = EventSpec(
        title=title,
        race_at=(timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0),
        track_name="Spa",
        kind=kind,
        classes=[ClassSpec(name="GT3", capacity=capacity)],
        **team,  # type: ignore[arg-type]
    )
    return event_create(actor=admin, club=club, spec=spec, now=timezone.now())


def as_user(client: Client, user_id: int) -> Client:
    login(client, user_id=user_id)
    return client


def test_the_events_list_shows_this_clubs_events_only(client, standin, world):
    setup: ClubSetup = populate(world)
    make_event(setup.club, "Ours")
    theirs = make_event(setup.other, "Theirs")
    as_user(client, DEMO_MEMBER_ID)
    page = client.get(f"{C}events/").content.decode()
    assert "Ours" in page and "Theirs" not in page
    assert "Create an event" not in page  # members see no create form
    assert client.get(f"{C}events/{theirs.id}/").status_code == 404
    assert client.post(f"{C}events/{theirs.id}/signup/", {"class_id": theirs.classes.get().id}).status_code == 404
    assert not Signup.objects.exists()


def test_an_outsider_and_anonymous_see_nothing(client, standin, world):
    setup = populate(world)
    ev = make_event(setup.club)
    assert client.get(f"{C}events/{ev.id}/").status_code == 302  # to the login page
    as_user(client, OUTSIDER_ID)
    assert client.get(f"{C}events/").status_code == 404
    assert client.get(f"{C}events/{ev.id}/").status_code == 404


def test_a_member_cannot_create_but_a_delegated_admin_can(client, standin, world):
    setup = populate(world)
    race = (timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    form = {
        "title": "Web race",
        "race_at": race,
        "track_name": "Monza",
        "class_name": ["GT3"],
        "class_capacity": ["12"],
    }
    as_user(client, DEMO_MEMBER_ID)
    assert client.post(f"{C}events/create/", form).status_code == 403
    assert not Event.objects.exists()
    as_user(Client(), DELEGATED_ID)
    admin = Client()
    login(admin, user_id=DELEGATED_ID)
    response = admin.post(f"{C}events/create/", form)
    assert response.status_code == 302
    ev = Event.objects.get()
    assert (ev.club_id, ev.title, ev.classes.get().capacity) == (setup.club.id, "Web race", 12)
    page = admin.get(response["Location"]).content.decode()
    assert "Waiting for the bot." in page  # the Discord status block
    EventDiscordChannel.objects.filter(event=ev).update(
        status="blocked", status_detail="SimLane lacks Manage Channels."
    )
    assert "SimLane lacks Manage Channels." in admin.get(response["Location"]).content.decode()


def test_bad_input_is_a_message_and_changes_nothing(client, standin, world):
    populate(world)
    as_user(client, MANAGER_ID)
    response = client.post(
        f"{C}events/create/", {"title": "X", "race_at": "yesterday", "track_name": "Spa"}, follow=True
    )
    assert "YYYY-MM-DD HH:MM" in response.content.decode() and "Nothing was changed." in response.content.decode()
    assert not Event.objects.exists()
    race = (timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    form = {"title": "X", "race_at": race, "track_name": "Spa", "class_name": ["GT3"], "class_capacity": ["2O"]}
    page = client.post(f"{C}events/create/", form, follow=True).content.decode()
    assert "The places of GT3 must be a whole number" in page and "Nothing was changed." in page
    assert not Event.objects.exists()


def test_a_member_signs_up_and_withdraws_on_the_web_only_for_themselves(client, standin, world):
    setup = populate(world)
    ev = make_event(setup.club, capacity=1)
    gt3 = ev.classes.get()
    other = ClubMember.objects.create(club=setup.club, discord_user_id=999, display_name="Other Driver")
    theirs = signup_save(
        actor=EventActor(club_id=setup.club.id, discord_user_id=999, role="member", member_id=other.id),  # type: ignore[arg-type]
        event_id=ev.id,
        class_id=gt3.id,
        now=timezone.now(),
    ).signup
    as_user(client, DEMO_MEMBER_ID)
    response = client.post(f"{C}events/{ev.id}/signup/", {"class_id": gt3.id, "preferred_number": "23"}, follow=True)
    assert "GT3 is full: you are number 1 on its waitlist" in response.content.decode()
    mine = Signup.objects.get(member__discord_user_id=DEMO_MEMBER_ID)
    assert (mine.status, mine.preferred_number) == (SignupStatus.WAITLISTED, "23")
    assert client.post(f"{C}events/{ev.id}/withdraw/", {"signup_id": theirs.id}).status_code == 403
    assert Signup.objects.get(id=theirs.id).status == SignupStatus.CONFIRMED
    # An admin removes the other driver: the member moves up from the waitlist, and the page shows it.
    admin = Client()
    login(admin, user_id=MANAGER_ID)
    assert admin.post(f"{C}events/{ev.id}/withdraw/", {"signup_id": theirs.id}).status_code == 302
    page = client.get(f"{C}events/{ev.id}/").content.decode()
    assert "Your signup: confirmed in GT3" in page and "GT3 — 1/1" in page


def test_teams_page_is_for_admins_and_finalises(client, standin, world):
    setup = populate(world)
    ev = make_event(setup.club, kind="team")
    gt3 = ev.classes.get()
    ids = []
    for uid in (901, 902):
        row = ClubMember.objects.create(club=setup.club, discord_user_id=uid, display_name=f"D{uid}")
        actor = EventActor(club_id=setup.club.id, discord_user_id=uid, role="member", member_id=row.id)  # type: ignore[arg-type]
        ids.append(signup_save(actor=actor, event_id=ev.id, class_id=gt3.id, now=timezone.now()).signup.id)
    as_user(client, DEMO_MEMBER_ID)
    assert client.get(f"{C}events/{ev.id}/teams/").status_code == 403
    assert client.post(f"{C}events/{ev.id}/teams/save/", {f"team_{ids[0]}": "Mine"}).status_code == 403
    assert not Team.objects.exists()
    admin = Client()
    login(admin, user_id=MANAGER_ID)
    page = admin.get(f"{C}events/{ev.id}/teams/").content.decode()
    assert 'value="Team 1"' in page  # the draft
    form = {f"team_{ids[0]}": "Red", f"team_{ids[1]}": "Red", "finalise": "yes"}
    assert admin.post(f"{C}events/{ev.id}/teams/save/", form).status_code == 302
    ev.refresh_from_db()
    assert ev.status == "teams_final"
    assert list(Team.objects.values_list("name", flat=True)) == ["Red"]


def test_calendar_feeds_list_their_own_clubs_events_and_rotate(client, standin, world):
    setup = populate(world)
    ours = make_event(setup.club, "Ours")
    make_event(setup.club, "Not mine")
    make_event(setup.other, "Theirs")
    as_user(client, DEMO_MEMBER_ID)
    signup_save(
        actor=EventActor(
            club_id=setup.club.id,
            discord_user_id=DEMO_MEMBER_ID,
            role="member",  # type: ignore[arg-type]
            member_id=ClubMember.objects.get(club=setup.club, discord_user_id=DEMO_MEMBER_ID).id,
        ),
        event_id=ours.id,
        class_id=ours.classes.get().id,
        now=timezone.now(),
    )
    client.get(f"{C}events/")
    club_feed = CalendarFeed.objects.get(club=setup.club, member=None)
    my_feed = CalendarFeed.objects.get(club=setup.club, member__discord_user_id=DEMO_MEMBER_ID)
    anonymous = Client()
    response = anonymous.get(f"/calendar/{club_feed.token}.ics")
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and "SUMMARY:Ours" in body and "SUMMARY:Not mine" in body
    assert "Theirs" not in body
    mine = anonymous.get(f"/calendar/{my_feed.token}.ics").content.decode()
    assert "SUMMARY:Ours" in mine and "Not mine" not in mine
    # Another club's feed sees only that club.
    other_feed = CalendarFeed.objects.create(club=setup.other, token="x" * 32)
    other = anonymous.get(f"/calendar/{other_feed.token}.ics").content.decode()
    assert "SUMMARY:Theirs" in other and "Ours" not in other
    assert anonymous.get("/calendar/not-a-token.ics").status_code == 404
    old = my_feed.token
    assert client.post(f"{C}events/calendar/rotate/", {"which": "mine"}).status_code == 302
    assert anonymous.get(f"/calendar/{old}.ics").status_code == 404
    assert client.post(f"{C}events/calendar/rotate/", {"which": "club"}).status_code == 403  # members: own feed only
    assert CalendarFeed.objects.get(id=club_feed.id).token == club_feed.token


def test_an_admin_plans_stints_from_the_teams_page(client, standin, world):
    setup = populate(world)
    ev = make_event(setup.club, kind="team")
    gt3 = ev.classes.get()
    ids, rows = [], []
    for uid, name in ((901, "Ana"), (902, "Ben")):
        row = ClubMember.objects.create(club=setup.club, discord_user_id=uid, display_name=name)
        actor = EventActor(club_id=setup.club.id, discord_user_id=uid, role="member", member_id=row.id)  # type: ignore[arg-type]
        ids.append(signup_save(actor=actor, event_id=ev.id, class_id=gt3.id, now=timezone.now()).signup.id)
        rows.append(row)
    admin = Client()
    login(admin, user_id=MANAGER_ID)
    admin.post(f"{C}events/{ev.id}/teams/save/", {f"team_{ids[0]}": "Red", f"team_{ids[1]}": "Red", "finalise": "yes"})
    team = Team.objects.get()
    start = ev.race_at.strftime("%H:%M")
    plan = f"{start} Ana\n{(ev.race_at + timedelta(minutes=30)).strftime('%H:%M')} ben"
    assert admin.post(f"{C}events/{ev.id}/teams/{team.id}/stints/", {"plan": plan}).status_code == 302
    assert [(s.order, s.driver_id) for s in team.stints.all()] == [(1, rows[0].id), (2, rows[1].id)]
    bad = admin.post(f"{C}events/{ev.id}/teams/{team.id}/stints/", {"plan": f"{start} Zed"}, follow=True)
    assert "is not a driver of Red" in bad.content.decode() and team.stints.count() == 2
    as_user(client, DEMO_MEMBER_ID)
    assert client.post(f"{C}events/{ev.id}/teams/{team.id}/stints/", {"plan": f"{start} Ana"}).status_code == 403


def test_an_admin_edits_an_event_and_a_member_cannot(client, standin, world):
    setup = populate(world)
    ev = make_event(setup.club)
    race = (ev.race_at + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    form = {"action": "edit", "title": "Renamed", "race_at": race, "track_name": "Monza", "duration_minutes": "90"}
    as_user(client, DEMO_MEMBER_ID)
    assert client.post(f"{C}events/{ev.id}/manage/", form).status_code == 403
    assert Event.objects.get(id=ev.id).title == "Thursday GT3"
    admin = Client()
    login(admin, user_id=MANAGER_ID)
    assert 'value="Thursday GT3"' in admin.get(f"{C}events/{ev.id}/").content.decode()
    assert admin.post(f"{C}events/{ev.id}/manage/", form).status_code == 302
    saved = Event.objects.get(id=ev.id)
    assert (saved.title, saved.track_name, saved.duration_minutes) == ("Renamed", "Monza", 90)
    assert saved.race_at == ev.race_at + timedelta(hours=1)


def test_a_blocked_discord_setup_shows_its_fix_and_only_an_admin_retries_it(client, standin, world):
    from simlane.clubs.models import DiscordIntent, IntentKind

    setup = populate(world)
    ev = make_event(setup.club)
    DiscordIntent.objects.filter(kind=IntentKind.EVENT_SYNC).delete()  # the bot already ran the creation's sync
    detail = "SimLane could not create the team roles: it needs Manage Roles on this server."
    EventDiscordChannel.objects.filter(event=ev).update(status="blocked", status_detail=detail)
    as_user(client, DEMO_MEMBER_ID)
    assert client.post(f"{C}events/{ev.id}/manage/", {"action": "discord_retry"}).status_code == 403
    assert not DiscordIntent.objects.filter(kind=IntentKind.EVENT_SYNC).exists()

    admin = as_user(Client(), MANAGER_ID)
    page = admin.get(f"{C}events/{ev.id}/").content.decode()
    assert detail in page and 'data-testid="discord-retry"' in page
    page = admin.post(f"{C}events/{ev.id}/manage/", {"action": "discord_retry"}, follow=True).content.decode()
    assert "SimLane will try the event&#x27;s Discord setup again in a moment." in page
    assert 'data-testid="discord-retry"' not in page and "Trying again…" in page
    (intent,) = DiscordIntent.objects.filter(kind=IntentKind.EVENT_SYNC)
    assert intent.payload == {"event_id": ev.id} and intent.status == "queued"


def test_a_calendar_feeds_token_never_reaches_the_logs(client, standin, world):
    """Django logs the path of a refused request (a POST to a feed: 405; an old address: 404); the token in it is
    the feed's only key, so the log line shows the path without it, in plain and JSON logs alike."""
    import io
    import json
    import logging

    from simlane.core.logging import JsonFormatter, RedactingFilter

    setup = populate(world)
    feed = CalendarFeed.objects.create(club=setup.club, token="k" * 16 + "Tok_en-32chars__")
    stream = io.StringIO()
    plain, as_json = logging.StreamHandler(stream), logging.StreamHandler(stream)
    as_json.setFormatter(JsonFormatter())
    request_log = logging.getLogger("django.request")
    for handler in (plain, as_json):
        handler.addFilter(RedactingFilter())
        request_log.addHandler(handler)
    try:
        assert Client().post(f"/calendar/{feed.token}.ics").status_code == 405
        assert Client().get("/calendar/an-old-rotated-token-0123456789.ics").status_code == 404
    finally:
        for handler in (plain, as_json):
            request_log.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 4  # both refusals were logged, each by both handlers...
    assert json.loads(lines[1])["message"].startswith("Method Not Allowed (POST): /calendar/")
    assert all("/calendar/" in line for line in lines)
    text = stream.getvalue()
    assert feed.token not in text and "an-old-rotated-token" not in text  # ...without the tokens


def test_an_admin_of_one_club_cannot_reach_another_clubs_event_by_changing_ids_in_the_address(client, standin, world):
    setup = populate(world)
    theirs = make_event(setup.other, "Theirs", kind="team")
    outsider = ClubMember.objects.get(club=setup.other, discord_user_id=OUTSIDER_ID)
    signup = Signup.objects.create(event=theirs, event_class=theirs.classes.get(), member=outsider)
    team = Team.objects.create(event=theirs, name="Rivals", event_class=theirs.classes.get())
    as_user(client, MANAGER_ID)  # an admin of this club, not of theirs
    tampered = {
        f"{C}events/{theirs.id}/manage/": {"action": "cancel"},
        f"{C}events/{theirs.id}/withdraw/": {"signup_id": signup.id},
        f"{C}events/{theirs.id}/teams/save/": {f"team_{signup.id}": "Mine", "finalise": "yes"},
        f"{C}events/{theirs.id}/teams/{team.id}/stints/": {"plan": ""},
    }
    for url, form in tampered.items():
        assert client.post(url, form).status_code == 404, url
    assert client.get(f"{C}events/{theirs.id}/teams/").status_code == 404
    # Their own club's address is refused too: this admin is no member there.
    assert (
        client.post(
            f"/dashboard/clubs/{setup.other.guild_id}/events/{theirs.id}/manage/", {"action": "cancel"}
        ).status_code
        == 404
    )
    theirs.refresh_from_db()
    assert theirs.status == "open" and Signup.objects.get(id=signup.id).status == signup.status
    assert list(Team.objects.filter(event=theirs).values_list("name", flat=True)) == ["Rivals"]
