"""SimLane's JSON API (django-ninja), mounted at ``/api/``; OpenAPI at ``/api/docs`` and ``/api/openapi.json``.

Every endpoint is for a logged-in user (the Django session; unsafe methods need the CSRF token) and goes through
``authorise``: the same rule as the dashboard's pages, so a server the user cannot manage is a 404 here as there.
Nothing here talks to Discord: changes to Discord are queued as intents for the bot, and what the bot sees comes
from the health snapshot it writes.
"""

from __future__ import annotations

import hashlib

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import NinjaAPI, Status
from ninja.errors import HttpError
from ninja.security import SessionAuth

from simlane.clubs import selectors as clubs_selectors
from simlane.clubs.discord_oauth import DiscordOAuthError, UserGuild
from simlane.clubs.health.selectors import health_channel, health_view
from simlane.clubs.intents import selectors as intents_selectors
from simlane.clubs.intents.services import intent_enqueue
from simlane.clubs.models import Club, DiscordIntent, IntentKind
from simlane.clubs.permissions import club_access, managed_guild
from simlane.core.errors import ApplicationError
from simlane.results import selectors as results_selectors
from simlane.results import services as results_services
from simlane.results.models import ConfigStatus, ResultsMode

from . import bot_invite
from .api_schemas import (
    BotStatusOut,
    ChannelOut,
    ErrorOut,
    GuildOut,
    IntentOut,
    InviteOut,
    MemberSyncOut,
    ProblemOut,
    SettingsIn,
    SettingsOut,
)

api = NinjaAPI(
    title="SimLane API",
    version="1",
    description="Your Discord servers in SimLane: the bot's status, settings, and actions the bot carries out.",
    auth=SessionAuth(csrf=True),
    urls_namespace="api",
)

# The bot needs these in a results channel, as ``/results channel`` checks them.
RESULTS_CHANNEL_NEEDS = ("View Channels", "Send Messages", "Embed Links")
ERRORS: dict[int, type[ErrorOut]] = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut}


@api.exception_handler(DiscordOAuthError)
def _discord_login(request: HttpRequest, exc: DiscordOAuthError) -> object:
    return api.create_response(request, {"detail": exc.message}, status=401)


@api.exception_handler(ApplicationError)
def _refused(request: HttpRequest, exc: ApplicationError) -> object:
    return api.create_response(request, {"detail": exc.message}, status=400)


def authorise(request: HttpRequest, guild_id: int) -> UserGuild:
    """The one permission check of every endpoint, the same rule as the pages' settings: a linked server's SimLane
    admins (Manage Server, or the server's SimLane admin role) act on it; a server SimLane is not on yet is
    managed only by who may add the bot there (Manage Server). Anyone else: 404, or 403 for a club's plain member."""
    if clubs_selectors.club_for_guild(guild_id) is None:
        return managed_guild(request, guild_id)
    access = club_access(request, guild_id)
    if not access.is_admin:
        raise HttpError(403, "Only this club's SimLane admins can use its API.")
    return access.guild


def _active_club(guild_id: int) -> Club:
    club = clubs_selectors.club_for_guild(guild_id)
    if club is None or not club.active:
        raise HttpError(409, "SimLane is not on this server: add it first.")
    return club


def _enqueue(request: HttpRequest, club: Club, kind: IntentKind, payload: dict[str, object] | None = None) -> IntentOut:
    # A client retrying a request with the same Idempotency-Key gets the first intent, not a second one; the key is
    # scoped to the server and the kind so it can never reach another server's intent.
    given = request.headers.get("Idempotency-Key", "")
    key = hashlib.sha256(f"{club.guild_id}:{kind}:{given}".encode()).hexdigest() if given else ""
    intent, _ = intent_enqueue(
        club=club,
        kind=kind,
        payload=payload,
        requested_by=request.user,  # type: ignore[arg-type]
        idempotency_key=key,
        now=timezone.now(),
    )
    return IntentOut.of(intent)


@api.get("/servers/{guild_id}", response={200: GuildOut, **ERRORS}, summary="Server info")
def guild_info(request: HttpRequest, guild_id: int) -> GuildOut:
    guild = authorise(request, guild_id)
    club = clubs_selectors.club_for_guild(guild_id)
    return GuildOut(
        id=str(guild.id),
        name=guild.name,
        owner=guild.owner,
        simlane_added=bool(club and club.active),
        linked_at=club.created_at if club else None,
    )


@api.get("/servers/{guild_id}/invite", response={200: InviteOut, **ERRORS}, summary="Bot invite URL")
def invite(request: HttpRequest, guild_id: int) -> InviteOut:
    guild = authorise(request, guild_id)
    state = bot_invite.state_issue(request.session, guild.id)
    redirect_uri = request.build_absolute_uri(reverse("web:bot_callback"))
    return InviteOut(url=bot_invite.bot_authorize_url(guild_id=guild.id, state=state, redirect_uri=redirect_uri))


@api.get("/servers/{guild_id}/bot", response={200: BotStatusOut, **ERRORS}, summary="Bot status")
def bot_status(request: HttpRequest, guild_id: int) -> BotStatusOut:
    authorise(request, guild_id)
    view = health_view(guild_id=guild_id, now=timezone.now())
    return BotStatusOut(
        known=view.known,
        connected=view.connected,
        last_seen=view.last_seen,
        checked_at=view.checked_at,
        problems=[
            ProblemOut(text=p.text, where=p.where, feature=p.feature, channel_id=p.channel_id, missing=list(p.missing))  # type: ignore[arg-type]
            for p in view.problems
        ],
    )


@api.post("/servers/{guild_id}/bot/check", response={202: IntentOut, **ERRORS}, summary="Check permissions now")
def bot_check(request: HttpRequest, guild_id: int) -> Status[IntentOut]:
    authorise(request, guild_id)
    return Status(202, _enqueue(request, _active_club(guild_id), IntentKind.REFRESH_HEALTH))


@api.get("/servers/{guild_id}/channels", response={200: list[ChannelOut], **ERRORS}, summary="Text channels")
def channels(request: HttpRequest, guild_id: int) -> list[ChannelOut]:
    """The text channels the bot saw at its last check (the web process cannot see Discord itself)."""
    authorise(request, guild_id)
    view = health_view(guild_id=guild_id, now=timezone.now())
    return [
        ChannelOut(
            id=c["id"],
            name=c["name"],
            category=c.get("category", ""),
            bot_can_post=not c["missing"],
            missing=c["missing"],
        )
        for c in view.channels
    ]


def _settings(guild_id: int) -> SettingsOut:
    config = results_selectors.results_config_get(guild_id=guild_id)
    return SettingsOut(
        results_channel_id=str(config.channel_id) if config and config.channel_id else None,
        results_mode=config.mode if config else ResultsMode.ALL,  # type: ignore[arg-type]
        include_hosted=config.include_hosted if config else False,
        include_league=config.include_league if config else False,
        results_status=config.status if config else ConfigStatus.OK,  # type: ignore[arg-type]
        results_status_reason=config.status_reason if config else "",
    )


@api.get("/servers/{guild_id}/settings", response={200: SettingsOut, **ERRORS}, summary="Settings")
def settings_get(request: HttpRequest, guild_id: int) -> SettingsOut:
    authorise(request, guild_id)
    return _settings(guild_id)


@api.patch("/servers/{guild_id}/settings", response={200: SettingsOut, **ERRORS}, summary="Change settings")
def settings_update(request: HttpRequest, guild_id: int, body: SettingsIn) -> SettingsOut:
    """Change the results channel and which races are posted, through the same services as the slash commands.

    A channel is accepted only if the bot saw it and can post there (View Channels, Send Messages, Embed Links):
    the check ``/results channel`` makes. Nothing is changed when any part is refused.
    """
    authorise(request, guild_id)
    club = _active_club(guild_id)
    if body.results_channel_id is not None:
        channel = health_channel(guild_id=guild_id, channel_id=int(body.results_channel_id))
        if channel is None:
            raise HttpError(400, "SimLane has not seen that text channel on this server. Pick one from the list.")
        lacking = [p for p in RESULTS_CHANNEL_NEEDS if p in channel["missing"]]
        if lacking:
            raise HttpError(400, f"SimLane can't post in #{channel['name']}: it needs {', '.join(lacking)} there.")
        results_services.results_channel_set(guild_id=guild_id, channel_id=int(body.results_channel_id))
    if body.results_mode is not None or body.include_hosted is not None or body.include_league is not None:
        results_services.results_mode_set(
            guild_id=guild_id,
            mode=ResultsMode(body.results_mode) if body.results_mode else None,
            include_hosted=body.include_hosted,
            include_league=body.include_league,
        )
    if body.results_channel_id is not None:
        _enqueue(request, club, IntentKind.REFRESH_HEALTH)  # the bot checks the new channel at once
    return _settings(guild_id)


@api.post("/servers/{guild_id}/member-sync", response={202: IntentOut, **ERRORS}, summary="Start a member sync")
def member_sync_start(request: HttpRequest, guild_id: int) -> Status[IntentOut]:
    authorise(request, guild_id)
    return Status(202, _enqueue(request, _active_club(guild_id), IntentKind.MEMBER_SYNC))


@api.get("/servers/{guild_id}/member-sync", response={200: MemberSyncOut, **ERRORS}, summary="Member sync status")
def member_sync_status(request: HttpRequest, guild_id: int) -> MemberSyncOut:
    authorise(request, guild_id)
    latest = intents_selectors.intent_list(guild_id=guild_id, kind=IntentKind.MEMBER_SYNC, limit=1)
    return MemberSyncOut(latest=IntentOut.of(latest[0]) if latest else None)


@api.post("/servers/{guild_id}/test-post", response={202: IntentOut, **ERRORS}, summary="Post a test message")
def test_post(request: HttpRequest, guild_id: int) -> Status[IntentOut]:
    """Ask the bot to post "SimLane can post here" in the results channel (once, whatever happens)."""
    authorise(request, guild_id)
    club = _active_club(guild_id)
    config = results_selectors.results_config_get(guild_id=guild_id)
    if config is None or config.channel_id is None:
        raise HttpError(400, "No results channel is set yet: choose one in the settings first.")
    return Status(202, _enqueue(request, club, IntentKind.POST_TEST_MESSAGE, {"channel_id": str(config.channel_id)}))


@api.get("/servers/{guild_id}/intents", response={200: list[IntentOut], **ERRORS}, summary="Recent actions")
def intents(request: HttpRequest, guild_id: int) -> list[IntentOut]:
    authorise(request, guild_id)
    return [IntentOut.of(i) for i in intents_selectors.intent_list(guild_id=guild_id)]


@api.get("/servers/{guild_id}/intents/{intent_id}", response={200: IntentOut, **ERRORS}, summary="One action")
def intent(request: HttpRequest, guild_id: int, intent_id: int) -> IntentOut:
    authorise(request, guild_id)
    found: DiscordIntent | None = intents_selectors.intent_get(guild_id=guild_id, intent_id=intent_id)
    if found is None:
        raise HttpError(404, "No such action on this server.")
    return IntentOut.of(found)
