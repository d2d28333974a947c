"""A site user's proven iRacing account, and their Discord grant for Linked Roles."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from simlane.core.models import TimeStampedModel


class VerificationMethod(models.TextChoices):
    IRACING_OAUTH = "iracing_oauth", "Signed in with iRacing"


class VerifiedIRacingAccount(TimeStampedModel):
    """Proof that a Discord user controls an iRacing account: they signed in to it on iRacing's own page."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="verified_iracing")
    discord_user_id = models.BigIntegerField(unique=True, help_text="Discord user snowflake of the site user")
    cust_id = models.BigIntegerField(unique=True, help_text="iRacing customer id proven by the sign-in")
    iracing_name = models.CharField(max_length=200, help_text="the name iRacing's profile gave at the sign-in")
    method = models.CharField(max_length=20, choices=VerificationMethod.choices)
    verified_at = models.DateTimeField()
    irating = models.IntegerField(null=True, blank=True, help_text="latest iRating SimLane saw for this account")
    license_level = models.IntegerField(
        null=True, blank=True, help_text="latest iRacing licence level (1–4 Rookie, 5–8 D, … 17–20 A)"
    )
    safety_rating = models.IntegerField(
        null=True, blank=True, help_text="latest safety rating × 100, as iRacing sends it"
    )
    owned_car_ids = models.JSONField(
        null=True, blank=True, help_text="cars the account owns, from member/info; empty (null): not known"
    )
    owned_track_ids = models.JSONField(
        null=True, blank=True, help_text="tracks the account owns, from member/info; empty (null): not known"
    )

    def __str__(self) -> str:
        return f"{self.iracing_name} ({self.cust_id}) = Discord {self.discord_user_id}"


class RoleConnectionGrant(TimeStampedModel):
    """A site user's Discord token with ``role_connections.write`` (the "Link roles" consent), encrypted at rest."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_connection")
    discord_user_id = models.BigIntegerField(unique=True, help_text="Discord user snowflake")
    access_token = models.TextField(help_text="Fernet token of the access token")
    refresh_token = models.TextField(blank=True, default="", help_text="Fernet token of the refresh token")
    expires_at = models.DateTimeField(null=True, blank=True)
    pushed_at = models.DateTimeField(null=True, blank=True, help_text="when Discord last accepted the values")
    pushed_metadata = models.JSONField(default=dict, blank=True, help_text="the metadata values last accepted")
    last_error = models.CharField(max_length=300, blank=True, default="")

    def __str__(self) -> str:
        return f"Linked Roles grant of user {self.user_id}"
