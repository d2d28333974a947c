"""Clubs: a Discord server linked to SimLane, its members, and the Discord login tokens of site users."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from simlane.core.models import TimeStampedModel

from .discord_settings import DEFAULT_PATTERN, DEFAULT_REMINDERS, DEFAULT_STINT_ALERTS


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


def _default_reminders() -> list[int]:
    return list(DEFAULT_REMINDERS)


def _default_stint_alerts() -> list[int]:
    return list(DEFAULT_STINT_ALERTS)


class ResultsPing(models.TextChoices):
    NONE = "none", "Nobody"
    HERE = "here", "@here (members online)"
    ROLE = "role", "One role"


class ArchiveMode(models.TextChoices):
    ARCHIVE = "archive", "Move the channel to the archive category"
    DELETE = "delete", "Delete the channel"


class ClubDiscordSettings(TimeStampedModel):
    """How SimLane behaves on the club's Discord server: event channels, pings, reminders (made on first change).

    The rules (placeholders, durations) are in ``clubs.discord_settings``; writes go through
    ``services.discord_settings_update``.
    """

    club = models.OneToOneField(Club, on_delete=models.CASCADE, related_name="discord_settings")
    auto_create_channels = models.BooleanField(default=True, help_text="create a text channel for each event")
    channel_name_pattern = models.CharField(
        max_length=100,
        default=DEFAULT_PATTERN,
        help_text="event channel names; placeholders {series} {track} {date} {event} {class}, normalised as Discord "
        "names channels",
    )
    results_ping = models.CharField(
        max_length=4, choices=ResultsPing.choices, default=ResultsPing.NONE, help_text="who a results post mentions"
    )
    results_ping_role_id = models.BigIntegerField(null=True, blank=True, help_text="the role, when results_ping=role")
    reminder_offsets = models.JSONField(
        default=_default_reminders, blank=True, help_text="minutes before an event to remind, longest first (≤ 5)"
    )
    stint_alert_offsets = models.JSONField(
        default=_default_stint_alerts,
        blank=True,
        help_text="minutes before each stint that its driver is alerted in the team thread, longest first (≤ 5)",
    )
    nudge_unanswered = models.BooleanField(
        default=True,
        help_text="the day before an event's signups close, mention the members who have not answered in its channel",
    )
    archive_mode = models.CharField(
        max_length=8,
        choices=ArchiveMode.choices,
        default=ArchiveMode.ARCHIVE,
        help_text="after an event: move its channel to the archive category, or delete it",
    )
    archive_delay_hours = models.PositiveSmallIntegerField(
        default=24, help_text="hours after the race ends before threads are locked and channels tidied away"
    )
    race_voice_hours = models.PositiveSmallIntegerField(
        default=24, help_text="hours before the race start that the team race voice channels open"
    )
    team_roles = models.BooleanField(default=True, help_text="give each team of a team event its own role")
    updated_by = models.BigIntegerField(null=True, blank=True, help_text="Discord user who last changed these")

    class Meta:
        constraints = (
            models.CheckConstraint(
                condition=~models.Q(results_ping="role") | models.Q(results_ping_role_id__isnull=False),
                name="results_ping_role_has_role",
            ),
        )

    def __str__(self) -> str:
        return f"Discord settings of club {self.club_id}"


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
    username = models.CharField(max_length=100, blank=True, default="", help_text="Discord username")
    display_name = models.CharField(
        max_length=100, blank=True, default="", help_text="the name the server shows: nickname, else global name"
    )
    nick = models.CharField(max_length=100, blank=True, default="", help_text="the server nickname, if any")
    active = models.BooleanField(default=True, help_text="false once the member left the server; the row is kept")
    left_at = models.DateTimeField(null=True, blank=True)
    event_dms = models.BooleanField(
        default=False, help_text="the member asked for event reminders by DM too (off unless they turn it on)"
    )
    event_nudges = models.BooleanField(
        default=True, help_text="the member may be mentioned when they have not answered an event's signup"
    )

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("club", "discord_user_id"), name="club_member_once_per_discord_user"),
        )
        indexes = (models.Index(fields=("club", "active")),)

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


class IntentKind(models.TextChoices):
    POST_TEST_MESSAGE = "post_test_message", "Test post in the results channel"
    MEMBER_SYNC = "member_sync", "Member sync"
    REFRESH_HEALTH = "refresh_health", "Permission check"
    EVENT_SYNC = "event_sync", "Event Discord update"


class IntentStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class DiscordIntent(TimeStampedModel):
    """Something the web asked the bot to do on Discord: the web process never talks to Discord itself.

    The bot claims a row with a conditional UPDATE (a lease), so two bot processes never run one intent; a lease
    that runs out (the process died) makes the row claimable again, and ``attempts > 1`` then tells the handler to
    look for what an earlier attempt may already have done before doing it again.
    """

    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="intents")
    kind = models.CharField(max_length=32, choices=IntentKind.choices)
    payload = models.JSONField(default=dict, blank=True, help_text="what the handler needs, e.g. the channel id")
    status = models.CharField(max_length=10, choices=IntentStatus.choices, default=IntentStatus.QUEUED)
    reason = models.CharField(max_length=300, blank=True, help_text="why it failed or waits, in an admin's words")
    attempts = models.PositiveSmallIntegerField(default=0, help_text="claims so far, counted before each attempt")
    not_before = models.DateTimeField(help_text="not run before this time (back-off after 429/5xx)")
    lease_until = models.DateTimeField(
        null=True, blank=True, help_text="while running: the claim holds until then, then another bot may retry"
    )
    idempotency_key = models.CharField(
        max_length=64, unique=True, help_text="the same request enqueued twice is one intent"
    )
    nonce = models.CharField(max_length=25, help_text="sent with a message so Discord drops a repeated send")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    result = models.JSONField(default=dict, blank=True, help_text="what it did, e.g. the message id it posted")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = (models.Index(fields=("status", "not_before"), name="intent_due"),)

    def __str__(self) -> str:
        return f"{self.kind} for {self.club_id} ({self.status})"


class BotGuildHealth(TimeStampedModel):
    """What the bot sees on one server, written by the bot (the web process has no gateway cache to ask)."""

    guild_id = models.BigIntegerField(unique=True, help_text="Discord server snowflake")
    guild_name = models.CharField(max_length=100, blank=True)
    connected = models.BooleanField(default=False, help_text="the bot is in the server and its gateway is up")
    last_seen = models.DateTimeField(help_text="the bot's last heartbeat for this server; stale means disconnected")
    checked_at = models.DateTimeField(help_text="when the permissions below were last computed")
    missing_by_feature = models.JSONField(
        default=dict, blank=True, help_text="feature key → server-wide permissions the bot lacks for it"
    )
    missing_by_channel = models.JSONField(
        default=list, blank=True, help_text="the channels SimLane uses: [{use, channel_id, name, missing, exists}]"
    )
    channels = models.JSONField(
        default=list, blank=True, help_text="text channels the bot sees: [{id, name, category, missing}]"
    )

    def __str__(self) -> str:
        return f"bot health in {self.guild_id}"


class SyncKind(models.TextChoices):
    FULL = "full", "Full sync"
    LIVE = "live", "Live updates"


class DiscordMemberSync(TimeStampedModel):
    """One full member sync, or one day of live member updates, of a club.

    Live events (join, leave, nickname and role changes) add to the club's live record of that UTC day rather than
    writing a row each, so a busy server keeps a bounded history.
    """

    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="member_syncs")
    kind = models.CharField(max_length=4, choices=SyncKind.choices)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True, help_text="empty while running or if it failed")
    duration_ms = models.PositiveIntegerField(default=0, help_text="wall time of a full sync")
    seen = models.PositiveIntegerField(default=0, help_text="members Discord listed (bots excluded)")
    added = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0, help_text="name, nickname, role or site user changed")
    left = models.PositiveIntegerField(default=0)
    proposals = models.PositiveIntegerField(default=0, help_text="open iRacing proposals after the sync")
    conflicts = models.PositiveIntegerField(default=0, help_text="open conflicts after the sync")
    error = models.CharField(max_length=500, blank=True, default="", help_text="why the sync failed, for admins")

    class Meta:
        ordering = ("-started_at", "-id")
        indexes = (models.Index(fields=("club", "kind", "started_at")),)

    def __str__(self) -> str:
        return f"{self.kind} sync of club {self.club_id} at {self.started_at:%Y-%m-%d %H:%M}"


class ProposalStatus(models.TextChoices):
    OPEN = "open", "Waiting for confirmation"
    CONFIRMED = "confirmed", "Confirmed (a pending car-number link was created)"
    REJECTED = "rejected", "Rejected"
    SUPERSEDED = "superseded", "Replaced after the nickname changed"


class MemberProposal(TimeStampedModel):
    """The iRacing account(s) a member's server nickname points to.

    One candidate is a proposal an admin or the member confirms; several are a conflict listed for an admin (never
    guessed). Confirmation creates an unverified car-number link: only proof verifies a link.
    """

    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="proposals")
    member = models.ForeignKey(ClubMember, on_delete=models.CASCADE, related_name="proposals")
    nickname = models.CharField(max_length=100, help_text="the name the proposal was read from")
    candidates = models.JSONField(
        default=list, help_text="[{cust_id, display_name, source}] — exactly one for a proposal"
    )
    cust_id = models.BigIntegerField(null=True, blank=True, help_text="the single candidate; empty if ambiguous")
    status = models.CharField(max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.OPEN)
    decided_by = models.BigIntegerField(null=True, blank=True, help_text="Discord user who confirmed or rejected")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("member",), condition=models.Q(status="open"), name="one_open_proposal_per_member"
            ),
        )
        indexes = (models.Index(fields=("club", "status")),)

    @property
    def ambiguous(self) -> bool:
        return self.cust_id is None

    def __str__(self) -> str:
        return f"{self.nickname} → {self.cust_id or 'several'} ({self.status})"
