"""Results bot data: per-server configuration, tracked drivers, the posted-results ledger, poll state."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from simlane.core.models import TimeStampedModel


class ResultsMode(models.TextChoices):
    ALL = "all", "Official and unofficial races"
    OFFICIAL = "official", "Official races only"


class ConfigStatus(models.TextChoices):
    OK = "ok", "Posting"
    BROKEN = "broken", "Channel missing or forbidden"


# How many drivers one member may add to a server's list unless its admins choose otherwise: enough for a team and
# its rivals, far below the server's cap, so one member can never fill the list alone.
DEFAULT_TRACKED_PER_MEMBER = 25


class GuildResultsConfig(TimeStampedModel):
    """Where and what one Discord server wants results posted."""

    guild_id = models.BigIntegerField(unique=True, help_text="Discord server snowflake")
    channel_id = models.BigIntegerField(null=True, blank=True, help_text="channel results are posted in")
    mode = models.CharField(max_length=16, choices=ResultsMode.choices, default=ResultsMode.ALL)
    include_hosted = models.BooleanField(default=False, help_text="also post hosted sessions")
    include_league = models.BooleanField(default=False, help_text="also post league sessions")
    status = models.CharField(max_length=16, choices=ConfigStatus.choices, default=ConfigStatus.OK)
    status_reason = models.CharField(max_length=200, blank=True)
    admins_notified = models.BooleanField(
        default=False, help_text="the admins were told the configuration is broken (told once per breakage)"
    )
    max_tracked_per_member = models.PositiveSmallIntegerField(
        default=DEFAULT_TRACKED_PER_MEMBER,
        help_text="drivers one member (not an admin) may add; the server's own cap still applies on top",
    )

    def __str__(self) -> str:
        return f"results config of guild {self.guild_id}"

    @property
    def is_postable(self) -> bool:
        return self.channel_id is not None and self.status == ConfigStatus.OK


class TrackedDriver(TimeStampedModel):
    """A driver one server tracks. Each server has its own rows: servers never see each other's lists."""

    guild_id = models.BigIntegerField(db_index=True)
    cust_id = models.BigIntegerField(db_index=True, help_text="iRacing customer id")
    display_name = models.CharField(max_length=200, help_text="name at the time of tracking, for lists")
    added_by = models.BigIntegerField(null=True, blank=True, help_text="Discord user who added the driver")
    tracked_since = models.DateTimeField(
        default=timezone.now,
        help_text="races that ended before this are not posted (tracking starts now, it does not replay history)",
    )

    class Meta:
        constraints = (models.UniqueConstraint(fields=["guild_id", "cust_id"], name="uniq_tracked_driver"),)

    def __str__(self) -> str:
        return f"{self.display_name} ({self.cust_id}) in {self.guild_id}"


class PostStatus(models.TextChoices):
    CLAIMED = "claimed", "Claimed, not yet confirmed sent"
    POSTED = "posted", "Posted"
    FAILED = "failed", "Gave up"


class PostedResult(TimeStampedModel):
    """The exactly-once ledger: a row is claimed before posting and marked with the message id after.

    The ``nonce`` is sent with ``enforce_nonce`` so that a retry after a crash between send and mark cannot create a
    second message: Discord returns the first one.
    """

    guild_id = models.BigIntegerField()
    subsession_id = models.BigIntegerField()
    cust_id = models.BigIntegerField()
    channel_id = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=PostStatus.choices, default=PostStatus.CLAIMED)
    nonce = models.CharField(max_length=25, help_text="Discord message nonce (≤ 25 characters)")
    message_id = models.BigIntegerField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0, help_text="sends tried; > 0 means a message may exist")
    next_attempt_at = models.DateTimeField(null=True, blank=True, help_text="not before (after a 429 or 5xx)")
    last_error = models.CharField(max_length=200, blank=True)
    race_ended_at = models.DateTimeField(null=True, blank=True, help_text="the race's end (detection delay)")
    posted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["guild_id", "subsession_id", "cust_id"], name="uniq_posted_result"),
        )
        indexes = (models.Index(fields=["status"]),)


class DriverPollState(TimeStampedModel):
    """When a driver was last searched and last seen racing (drives adaptive polling)."""

    cust_id = models.BigIntegerField(unique=True)
    last_poll_at = models.DateTimeField(null=True, blank=True)
    last_race_at = models.DateTimeField(null=True, blank=True, help_text="end time of the newest race seen")
    next_poll_at = models.DateTimeField(null=True, blank=True, db_index=True, help_text="when the poller is due")
    recent_series = models.JSONField(
        default=dict, blank=True, help_text="series id -> epoch seconds of the newest race seen in it (last day only)"
    )
    ratings = models.CharField(
        max_length=255,
        blank=True,
        default="",
        help_text="iRating, safety rating and licence per category at the last search (a change means a new race)",
    )


class PollPartition(models.Model):
    """One share of the tracked drivers, searched by one Celery worker at a time (``cust_id % count == index``).

    Several workers poll without doing the same work twice: a worker leases a partition before searching it (the
    lease outlives the task's time limit, so a killed worker's partition is free again within that bound), and
    ``generation`` moves at every lease so a worker can tell that someone else searched it since. ``snapshot`` is
    the poller's memory between cycles (when each driver's ratings are read next, what was last seen, the races
    already handled), so whichever worker takes the partition next carries on where the last one stopped.
    """

    index = models.PositiveSmallIntegerField(primary_key=True)
    count = models.PositiveSmallIntegerField(help_text="partitions when the snapshot was written")
    leased_until = models.DateTimeField(null=True, blank=True)
    generation = models.PositiveBigIntegerField(default=0)
    snapshot = models.JSONField(default=dict, blank=True)
    searched_at = models.DateTimeField(null=True, blank=True, help_text="end of the last finished cycle")

    def __str__(self) -> str:
        return f"poll partition {self.index} of {self.count}"
