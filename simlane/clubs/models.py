"""Clubs: a Discord server linked to SimLane, its members, and the Discord login tokens of site users."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from simlane.core.models import TimeStampedModel


class Club(TimeStampedModel):
    """A Discord server that someone with Manage Server linked to SimLane by adding the bot."""

    guild_id = models.BigIntegerField(unique=True, help_text="Discord server snowflake")
    name = models.CharField(max_length=100, help_text="the server's name when it was last seen")
    active = models.BooleanField(
        default=True, help_text="false once the bot was removed from the server; the club's data is kept"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="the site user who added the bot",
    )
    bot_permissions = models.BigIntegerField(
        default=0, help_text="the permissions integer granted when the bot was added"
    )

    def __str__(self) -> str:
        return f"{self.name} ({self.guild_id})"


class ClubRole(models.TextChoices):
    OWNER = "owner", "Owner"
    ADMIN = "admin", "Admin"
    MEMBER = "member", "Member"


class ClubMember(TimeStampedModel):
    """A Discord member of a club, and the site user they logged in as (if they did)."""

    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="club_memberships"
    )
    discord_user_id = models.BigIntegerField(help_text="Discord user snowflake")
    role = models.CharField(max_length=10, choices=ClubRole.choices, default=ClubRole.MEMBER)
    role_ids = models.JSONField(
        default=list,
        blank=True,
        help_text="the member's Discord role ids, as the member sync last saw them: the web compares them with the "
        "server's SimLane admin role by the bot's own rule (clubs.roles.club_role)",
    )

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("club", "discord_user_id"), name="club_member_once_per_discord_user"),
        )

    def __str__(self) -> str:
        return f"{self.discord_user_id} in {self.club_id} ({self.role})"


class DiscordCredential(TimeStampedModel):
    """A site user's Discord OAuth2 tokens, encrypted at rest (see ``simlane.clubs.crypto``)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="discord_credential")
    discord_user_id = models.BigIntegerField(unique=True, help_text="Discord user snowflake")
    access_token = models.TextField(help_text="Fernet token of the access token")
    refresh_token = models.TextField(blank=True, default="", help_text="Fernet token of the refresh token")
    expires_at = models.DateTimeField(null=True, blank=True)
    scopes = models.CharField(max_length=200, blank=True, default="")

    def __str__(self) -> str:
        return f"Discord tokens of user {self.user_id}"
