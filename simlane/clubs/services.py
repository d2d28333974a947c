"""Writes of the clubs domain: Discord credentials, the user's server list, linking a server to a club."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from . import discord_oauth
from .crypto import decrypt, encrypt
from .discord_oauth import DiscordOAuthError, DiscordTokenExpired, UserGuild
from .discord_settings import ClubSettingsError, channel_pattern_clean, event_hours_check, reminder_offsets_parse
from .models import ArchiveMode, Club, ClubDiscordSettings, ClubMember, ClubRole, DiscordCredential, ResultsPing

log = logging.getLogger(__name__)

# How long the user's server list (and so their Manage Server rights) is reused before Discord is asked again.
GUILDS_CACHE_SECONDS = 60


def discord_credential_store(
    *,
    user: AbstractBaseUser,
    discord_user_id: int,
    access_token: str,
    refresh_token: str,
    expires_at: datetime | None,
    scopes: str,
) -> DiscordCredential:
    """Keep the user's Discord tokens, encrypted; a Discord account belongs to one site user."""
    with transaction.atomic():
        DiscordCredential.objects.filter(discord_user_id=discord_user_id).exclude(user_id=user.pk).delete()
        credential, _ = DiscordCredential.objects.update_or_create(
            user_id=user.pk,
            defaults={
                "discord_user_id": discord_user_id,
                "access_token": encrypt(access_token),
                "refresh_token": encrypt(refresh_token),
                "expires_at": expires_at,
                "scopes": scopes,
            },
        )
    user_guilds_forget(user_id=user.pk)
    return credential


def _cache_key(user_id: object) -> str:
    return f"clubs:user-guilds:{user_id}"


def user_guilds_forget(*, user_id: object) -> None:
    cache.delete(_cache_key(user_id))


def _refresh(credential: DiscordCredential) -> str:
    refresh_token = decrypt(credential.refresh_token)
    if not refresh_token:
        raise DiscordTokenExpired("Your Discord login has expired; log in again.")
    grant = discord_oauth.refresh(refresh_token)
    credential.access_token = encrypt(grant.access_token)
    credential.refresh_token = encrypt(grant.refresh_token or refresh_token)
    credential.expires_at = timezone.now() + timedelta(seconds=grant.expires_in) if grant.expires_in else None
    credential.save(update_fields=["access_token", "refresh_token", "expires_at", "updated_at"])
    return grant.access_token


def user_guilds(*, user: AbstractBaseUser, fresh: bool = False) -> list[UserGuild]:
    """Every server the user is in, with their permissions there, as Discord reports it now (cached briefly).

    An expired access token is refreshed once; a refused refresh asks the user to log in again.
    """
    key = _cache_key(user.pk)
    if not fresh and (cached := cache.get(key)) is not None:
        return [UserGuild(*row) for row in cached]
    credential = DiscordCredential.objects.filter(user_id=user.pk).first()
    if credential is None:
        raise DiscordOAuthError("Log in with Discord to see your servers.")
    access_token = decrypt(credential.access_token)
    expired = credential.expires_at is not None and credential.expires_at <= timezone.now()
    try:
        if expired or not access_token:
            access_token = _refresh(credential)
        guilds = discord_oauth.fetch_user_guilds(access_token)
    except DiscordTokenExpired:
        if expired:
            raise
        guilds = discord_oauth.fetch_user_guilds(_refresh(credential))
    cache.set(key, [(g.id, g.name, g.owner, g.permissions) for g in guilds], GUILDS_CACHE_SECONDS)
    return guilds


def club_link(*, guild_id: int, name: str, permissions: int, user: AbstractBaseUser, owner: bool) -> Club:
    """Link a server to its club after the bot was added (again): the club is active, its data kept."""
    discord_user_id = DiscordCredential.objects.values_list("discord_user_id", flat=True).get(user_id=user.pk)
    with transaction.atomic():
        club, _ = Club.objects.update_or_create(
            guild_id=guild_id,
            defaults={"name": name[:100], "active": True, "linked_by_id": user.pk, "bot_permissions": permissions},
        )
        ClubMember.objects.update_or_create(
            club=club,
            discord_user_id=discord_user_id,
            defaults={"user_id": user.pk, "role": ClubRole.OWNER if owner else ClubRole.ADMIN},
        )
    log.info("server %s linked to SimLane by user %s", guild_id, user.pk)
    return club


def club_mark_inactive(*, guild_id: int) -> bool:
    """The bot left or was removed from the server: keep the club and its data, mark the link inactive.

    The hook for the bot's guild-remove event; returns whether a linked club was found.
    """
    return Club.objects.filter(guild_id=guild_id, active=True).update(active=False, updated_at=timezone.now()) > 0


def club_seen(*, guild_id: int, name: str) -> Club:
    """The bot is in this server (it joined, or was already there): the club exists and is active."""
    club, created = Club.objects.get_or_create(guild_id=guild_id, defaults={"name": name[:100]})
    if not created and (not club.active or club.name != name[:100]):
        club.active, club.name = True, name[:100]
        club.save(update_fields=["active", "name", "updated_at"])
    if created:
        log.info("server %s joined SimLane outside the web flow: club created", guild_id)
    return club


@transaction.atomic
def discord_settings_update(
    *,
    club: Club,
    actor_id: int,
    auto_create_channels: bool,
    channel_name_pattern: str,
    results_ping: ResultsPing,
    results_ping_role_id: int | None,
    reminder_offsets: str,
    archive_mode: ArchiveMode | None = None,
    archive_delay_hours: int | None = None,
    race_voice_hours: int | None = None,
    team_roles: bool | None = None,
) -> ClubDiscordSettings:
    """Change the club's Discord settings (made on first change); all or nothing, and who changed them is kept.

    The event Discord settings (archive mode and delay, race-voice hours, team roles) are kept as they are when
    None is given."""
    pattern = channel_pattern_clean(channel_name_pattern)
    event_hours_check(archive_delay_hours=archive_delay_hours, race_voice_hours=race_voice_hours)
    reminders = reminder_offsets_parse(reminder_offsets)
    if results_ping == ResultsPing.ROLE and results_ping_role_id is None:
        raise ClubSettingsError("Give the id of the role results should mention.")
    if results_ping_role_id == club.guild_id:
        # The server's @everyone role has the server's own id: every results post would ping the whole server.
        raise ClubSettingsError("Results can't mention @everyone; choose @here or a role.")
    found, _ = ClubDiscordSettings.objects.select_for_update().get_or_create(club=club)
    found.auto_create_channels = auto_create_channels
    found.channel_name_pattern = pattern
    found.results_ping = results_ping
    found.results_ping_role_id = results_ping_role_id if results_ping == ResultsPing.ROLE else None
    found.reminder_offsets = reminders
    if archive_mode is not None:
        found.archive_mode = archive_mode
    if archive_delay_hours is not None:
        found.archive_delay_hours = archive_delay_hours
    if race_voice_hours is not None:
        found.race_voice_hours = race_voice_hours
    if team_roles is not None:
        found.team_roles = team_roles
    found.updated_by = actor_id
    found.save()
    return found
