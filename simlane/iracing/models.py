"""Database state of the iRacing integration."""

from __future__ import annotations

from django.db import models

from simlane.core.models import TimeStampedModel


class IRacingTokenState(TimeStampedModel):
    """The OAuth token state of one iRacing account, shared by every process that uses the account.

    Refresh tokens are single-use, so the processes must not refresh independently: ``lock_owner``/``lock_until``
    form a lease that one process takes with a conditional UPDATE (atomic on SQLite and PostgreSQL) while it talks
    to the token endpoint. A crashed holder's lease simply runs out.
    """

    account = models.CharField(max_length=64, unique=True, help_text="sha256 of client id and username")
    access_token = models.TextField(blank=True)
    access_expires_at = models.FloatField(default=0, help_text="epoch seconds")
    refresh_token = models.TextField(blank=True)
    refresh_expires_at = models.FloatField(null=True, blank=True, help_text="epoch seconds")
    lock_owner = models.CharField(max_length=64, blank=True)
    lock_until = models.FloatField(default=0, help_text="epoch seconds when the refresh lease runs out")

    class Meta:
        verbose_name = "iRacing token state"

    def __str__(self) -> str:
        return f"iRacing tokens {self.account[:8]}"
