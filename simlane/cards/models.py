"""Per-server choices for the pictures SimLane posts."""

from __future__ import annotations

from django.db import models

from simlane.core.models import TimeStampedModel


class CardTheme(models.TextChoices):
    DARK = "dark", "Dark"
    LIGHT = "light", "Light"


class GuildCardSettings(TimeStampedModel):
    """A server's race-card settings; a server without a row gets the defaults (cards with charts, dark)."""

    guild_id = models.BigIntegerField(unique=True)
    cards_enabled = models.BooleanField(default=True, help_text="attach a race card to each result post")
    charts_enabled = models.BooleanField(
        default=True, help_text="draw position and lap-time charts on the card (one lap fetch per race)"
    )
    theme = models.CharField(max_length=8, choices=CardTheme.choices, default=CardTheme.DARK)
    highlights_channel_id = models.BigIntegerField(
        null=True, blank=True, help_text="a second channel for podiums and/or personal bests (None: off)"
    )
    route_podiums = models.BooleanField(default=False, help_text="podiums (class podiums in multi-class races)")
    digest_weekday = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="weekly digest day, 0 = Monday (None: no digest)"
    )
    digest_hour = models.PositiveSmallIntegerField(default=20, help_text="weekly digest hour, UTC")
    digest_channel_id = models.BigIntegerField(null=True, blank=True, help_text="None: the results channel")
    digest_since = models.DateTimeField(null=True, blank=True, help_text="when the digest was set (bot clock)")
    route_personal_bests = models.BooleanField(
        default=False, help_text="a best lap faster than every earlier race SimLane stored at this track in this car"
    )

    def __str__(self) -> str:
        return f"cards of guild {self.guild_id}"


class HighlightKind(models.TextChoices):
    PODIUM = "podium", "Podium"
    PERSONAL_BEST = "pb", "Personal best"


class HighlightStatus(models.TextChoices):
    CLAIMED = "claimed", "Claimed"
    POSTED = "posted", "Posted"
    FAILED = "failed", "Failed"


class HighlightPost(TimeStampedModel):
    """The exactly-once ledger of highlight posts: claimed before the result's own post is sent, so a crash in
    between never loses it; sent with its nonce, and looked for in the channel before a retry."""

    guild_id = models.BigIntegerField()
    subsession_id = models.BigIntegerField()
    cust_id = models.BigIntegerField()
    kind = models.CharField(max_length=8, choices=HighlightKind.choices)
    channel_id = models.BigIntegerField()
    status = models.CharField(max_length=8, choices=HighlightStatus.choices, default=HighlightStatus.CLAIMED)
    nonce = models.CharField(max_length=25, help_text="Discord message nonce (≤ 25 characters)")
    attempts = models.PositiveIntegerField(default=0, help_text="sends tried; > 0 means a message may exist")
    message_id = models.BigIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)
    lease_until = models.DateTimeField(
        null=True, blank=True, help_text="a bot process is sending it until then; others leave it alone"
    )

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["guild_id", "subsession_id", "cust_id"], name="uniq_highlight_post"),
        )
        indexes = (models.Index(fields=["status"]),)

    def __str__(self) -> str:
        return f"{self.kind} of {self.cust_id} in {self.subsession_id} for guild {self.guild_id}"


class DigestPost(TimeStampedModel):
    """One weekly digest per server and week, exactly once: claimed, counted before each send, marked after."""

    guild_id = models.BigIntegerField()
    due_at = models.DateTimeField(help_text="the scheduled moment; the digest covers the seven days before it")
    channel_id = models.BigIntegerField()
    status = models.CharField(max_length=8, choices=HighlightStatus.choices, default=HighlightStatus.CLAIMED)
    nonce = models.CharField(max_length=25)
    attempts = models.PositiveIntegerField(default=0)
    message_id = models.BigIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)
    lease_until = models.DateTimeField(
        null=True, blank=True, help_text="a bot process is sending it until then; others leave it alone"
    )

    class Meta:
        constraints = (models.UniqueConstraint(fields=["guild_id", "due_at"], name="uniq_digest_week"),)

    def __str__(self) -> str:
        return f"digest of guild {self.guild_id} due {self.due_at:%Y-%m-%d}"
