"""Club events: an event, its classes and signup sheet, the signups, teams and stint plans, and its Discord side.

Writes go through ``events.services``; reads through ``events.selectors``; who may do what is decided in
``events.permissions``.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from simlane.clubs.models import Club, ClubMember
from simlane.core.models import TimeStampedModel


class EventKind(models.TextChoices):
    SOLO = "solo", "Solo"
    TEAM = "team", "Team"


class EventSource(models.TextChoices):
    OFFICIAL = "official", "Official iRacing series"
    LEAGUE = "league", "League session"
    CUSTOM = "custom", "Custom time and track"


class EventStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    TEAMS_FINAL = "teams_final", "Teams final"
    FINISHED = "finished", "Finished"
    ARCHIVED = "archived", "Archived"
    CANCELLED = "cancelled", "Cancelled"


class Event(TimeStampedModel):
    """A race night or endurance race a club runs: when, where, solo or team, and how far along it is."""

    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="events")
    title = models.CharField(max_length=100)
    kind = models.CharField(max_length=4, choices=EventKind.choices, default=EventKind.SOLO)
    source = models.CharField(max_length=8, choices=EventSource.choices, default=EventSource.CUSTOM)
    series_id = models.IntegerField(null=True, blank=True, help_text="iRacing series, for an official event")
    season_id = models.IntegerField(null=True, blank=True, help_text="iRacing season, for an official event")
    race_week_num = models.IntegerField(null=True, blank=True, help_text="0-based race week, for an official event")
    league_id = models.IntegerField(null=True, blank=True, help_text="iRacing league, for a league event")
    league_season_id = models.IntegerField(null=True, blank=True)
    league_session_id = models.BigIntegerField(null=True, blank=True, help_text="the league session raced")
    track_id = models.IntegerField(null=True, blank=True, help_text="iRacing track id from the synced catalogue")
    track_name = models.CharField(max_length=150, blank=True, default="")
    practice_at = models.DateTimeField(null=True, blank=True)
    qualifying_at = models.DateTimeField(null=True, blank=True)
    race_at = models.DateTimeField(help_text="race start, UTC")
    duration_minutes = models.PositiveIntegerField(default=60, help_text="race length, for calendars and archiving")
    team_min_drivers = models.PositiveSmallIntegerField(null=True, blank=True, help_text="team events only")
    team_max_drivers = models.PositiveSmallIntegerField(null=True, blank=True, help_text="team events only")
    status = models.CharField(max_length=12, choices=EventStatus.choices, default=EventStatus.DRAFT)
    subsession_id = models.BigIntegerField(null=True, blank=True, help_text="set when the results are found")
    results_posted_at = models.DateTimeField(null=True, blank=True)
    created_by = models.BigIntegerField(help_text="Discord user id of the admin who created it")

    class Meta:
        constraints = (
            models.CheckConstraint(
                condition=models.Q(kind="solo") | models.Q(team_min_drivers__isnull=False),
                name="event_team_has_driver_counts",
            ),
            models.CheckConstraint(
                condition=models.Q(team_min_drivers__isnull=True)
                | models.Q(team_max_drivers__isnull=True)
                | models.Q(team_min_drivers__lte=models.F("team_max_drivers")),
                name="event_team_min_le_max",
            ),
        )
        indexes = (models.Index(fields=("club", "race_at")), models.Index(fields=("status", "race_at")))

    def __str__(self) -> str:
        return f"{self.title} ({self.race_at:%Y-%m-%d %H:%M})"


class EventClass(models.Model):
    """One car class of an event and how many may race in it."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="classes")
    car_class_id = models.IntegerField(null=True, blank=True, help_text="iRacing car class, if known")
    name = models.CharField(max_length=100)
    capacity = models.PositiveIntegerField(help_text="confirmed places; further signups wait on the waitlist")
    car_ids = models.JSONField(default=list, blank=True, help_text="iRacing car ids allowed; empty means any")

    class Meta:
        constraints = (models.UniqueConstraint(fields=("event", "name"), name="event_class_name_once"),)
        ordering = ("id",)

    def __str__(self) -> str:
        return f"{self.name} ({self.capacity})"


class SignupSheet(models.Model):
    """When signups are taken, and whether a full class keeps a waitlist."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="sheet")
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField(help_text="signup cut-off; withdrawing stays possible until the race")
    waitlist = models.BooleanField(default=True, help_text="when a class is full, queue further signups")

    def __str__(self) -> str:
        return f"sheet of event {self.event_id}"


class SignupStatus(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    WAITLISTED = "waitlisted", "Waitlisted"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Signup(models.Model):
    """A member's place (or place in the queue) in an event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="signups")
    member = models.ForeignKey(ClubMember, on_delete=models.CASCADE, related_name="event_signups")
    event_class = models.ForeignKey(EventClass, on_delete=models.CASCADE, related_name="signups")
    car_id = models.IntegerField(null=True, blank=True)
    preferred_number = models.CharField(
        max_length=3, blank=True, default="", help_text='from the club pools, as typed ("07" stays "07"); empty: none'
    )
    availability = models.JSONField(
        default=list, blank=True, help_text="endurance: [[start_iso, end_iso], …] the member can drive"
    )
    status = models.CharField(max_length=10, choices=SignupStatus.choices, default=SignupStatus.CONFIRMED)
    created_at = models.DateTimeField(
        default=timezone.now, help_text="when the member signed up (services pass their clock): the waitlist's order"
    )
    promoted_at = models.DateTimeField(null=True, blank=True, help_text="when the waitlist gave them a place")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    promotion_announced_at = models.DateTimeField(
        null=True, blank=True, help_text="when the bot told the member the waitlist gave them a place"
    )

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("event", "member"),
                condition=~models.Q(status="withdrawn"),
                name="signup_once_per_member",
            ),
        )
        indexes = (models.Index(fields=("event", "status", "created_at")),)

    def __str__(self) -> str:
        return f"{self.member_id} in {self.event_id} ({self.status})"


class Team(models.Model):
    """A team of a team event, in one class."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=100)
    event_class = models.ForeignKey(EventClass, on_delete=models.CASCADE, related_name="teams")
    car_number = models.CharField(
        max_length=3, blank=True, default="", help_text="from the club's pools when teams are final; empty: none"
    )

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("event", "name"), name="team_name_once_per_event"),
            models.UniqueConstraint(
                fields=("event", "car_number"),
                condition=~models.Q(car_number=""),
                name="team_car_number_once_per_event",
            ),
        )
        ordering = ("id",)

    def __str__(self) -> str:
        return f"{self.name} ({self.event_id})"


class TeamMember(models.Model):
    """A signed-up driver in a team."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    signup = models.OneToOneField(Signup, on_delete=models.CASCADE, related_name="team_member")
    position = models.PositiveSmallIntegerField(default=0, help_text="order within the team")

    class Meta:
        ordering = ("position", "id")

    def __str__(self) -> str:
        return f"signup {self.signup_id} in team {self.team_id}"


class Stint(models.Model):
    """One stint of a team's endurance plan: who drives from when."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="stints")
    order = models.PositiveSmallIntegerField()
    driver = models.ForeignKey(ClubMember, on_delete=models.CASCADE, related_name="stints")
    starts_at = models.DateTimeField()

    class Meta:
        constraints = (models.UniqueConstraint(fields=("team", "order"), name="stint_order_once_per_team"),)
        ordering = ("order",)

    def __str__(self) -> str:
        return f"stint {self.order} of team {self.team_id}"


class DiscordObjectStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    READY = "ready", "Ready"
    BLOCKED = "blocked", "Blocked"
    ARCHIVED = "archived", "Archived"


class EventDiscordChannel(models.Model):
    """The Discord objects of an event, each recorded as soon as it exists, and what blocks the rest."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="discord")
    category_id = models.BigIntegerField(null=True, blank=True)
    text_channel_id = models.BigIntegerField(null=True, blank=True)
    signup_message_id = models.BigIntegerField(null=True, blank=True, help_text="the signup card")
    signup_channel_id = models.BigIntegerField(
        null=True, blank=True, help_text="where the card is (the event channel or the results channel)"
    )
    scheduled_event_id = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=DiscordObjectStatus.choices, default=DiscordObjectStatus.PENDING)
    status_detail = models.CharField(
        max_length=500, blank=True, default="", help_text="for the dashboard: what is done, or what to fix"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Discord side of event {self.event_id} ({self.status})"


class CalendarFeed(models.Model):
    """An unguessable iCalendar address: a club's events, or (with a member) the events that member is in.

    Rotating replaces the token, so an address that leaked stops working.
    """

    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="calendar_feeds")
    member = models.ForeignKey(
        ClubMember, null=True, blank=True, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token = models.CharField(max_length=64, unique=True, help_text="secret part of the feed's address")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("club",), condition=models.Q(member__isnull=True), name="calendar_feed_once_per_club"
            ),
            models.UniqueConstraint(
                fields=("member",), condition=models.Q(member__isnull=False), name="calendar_feed_once_per_member"
            ),
        )

    def __str__(self) -> str:
        return f"calendar of club {self.club_id}" + (f" member {self.member_id}" if self.member_id else "")


class NoticeKind(models.TextChoices):
    REMINDER = "reminder", "Reminder in the event channel"
    REMINDER_DM = "reminder_dm", "Reminder by DM"
    NUDGE = "nudge", "Nudge to members who have not answered"
    STINT = "stint", "Stint alert in a team thread"
    RESULTS = "results", "Results in the event channel"


class NoticeStatus(models.TextChoices):
    CLAIMED = "claimed", "Claimed, not yet confirmed sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Gave up"


class EventNotice(TimeStampedModel):
    """The exactly-once ledger of what SimLane says about an event: reminders, DMs, nudges, stint alerts, results.

    A row is written (its unique key claims the notice) before anything is sent, with the text frozen; it is sent
    with its ``nonce`` and marked with the message id. A process that dies between the send and the mark leaves
    ``attempts > 0``: the next attempt first looks for the message in the channel's recent history.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=12, choices=NoticeKind.choices)
    key = models.CharField(max_length=80, help_text="which one of its kind: the offset, part, member or stint")
    channel_id = models.BigIntegerField(null=True, blank=True, help_text="channel or thread; empty for a DM")
    user_id = models.BigIntegerField(null=True, blank=True, help_text="the DM's recipient")
    content = models.TextField(blank=True, default="", help_text="the message text, frozen when claimed")
    embed = models.JSONField(null=True, blank=True, help_text="the embed payload (results)")
    mention_ids = models.JSONField(default=list, blank=True, help_text="the only users the message may ping")
    nonce = models.CharField(max_length=25, help_text="Discord message nonce (≤ 25 characters)")
    status = models.CharField(max_length=8, choices=NoticeStatus.choices, default=NoticeStatus.CLAIMED)
    attempts = models.PositiveIntegerField(default=0, help_text="sends tried; > 0 means a message may exist")
    next_attempt_at = models.DateTimeField(null=True, blank=True, help_text="not before (after a 429 or 5xx)")
    last_error = models.CharField(max_length=200, blank=True, default="")
    message_id = models.BigIntegerField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = (models.UniqueConstraint(fields=("event", "kind", "key"), name="event_notice_once"),)
        indexes = (models.Index(fields=("status", "next_attempt_at"), name="event_notice_due"),)

    @property
    def when_label(self) -> str:
        """For the dashboard: which reminder ("24 hours before") or stint alert this is."""
        parts = self.key.split(":")
        if self.kind in (NoticeKind.REMINDER, NoticeKind.REMINDER_DM) and parts[0].isdigit():
            minutes = int(parts[0])
            amount = f"{minutes // 60} h" if minutes % 60 == 0 else f"{minutes} min"
            return f"{amount} before"
        if self.kind == NoticeKind.STINT and len(parts) == 3:
            return f"stint {parts[1]}, {parts[2]} min before"
        return ""

    def __str__(self) -> str:
        return f"{self.kind} {self.key} of event {self.event_id} ({self.status})"


# ---- the Discord objects SimLane made for events (the reconciler in discord_bot/exts/event_discord records each one
# here the moment it exists, before the next step, so a crash never makes it twice) ------------------------------


class EventCategory(models.Model):
    """A category SimLane made for a series' event channels (or for finished ones), reused by its Discord id.

    A category holds at most 50 channels, so a busy series gets ``<series> 2`` and so on: ``index`` counts them.
    """

    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="event_categories")
    label = models.CharField(max_length=100, help_text="the series (or 'Event archive'); the category's base name")
    index = models.PositiveSmallIntegerField(default=1, help_text="1 for the first category of the label, 2 next…")
    archive = models.BooleanField(default=False, help_text="holds finished event channels")
    discord_id = models.BigIntegerField(help_text="the category's Discord id")

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("club", "label", "archive", "index"), name="event_category_once"),
        )
        ordering = ("club", "label", "index")

    def __str__(self) -> str:
        return f"category {self.label} {self.index} of club {self.club_id}"


class EventDiscordProgress(models.Model):
    """The time-driven steps of an event's Discord side that happened, and when the next one falls due."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="discord_progress")
    started_at = models.DateTimeField(null=True, blank=True, help_text="SimLane started the Discord event")
    ended_at = models.DateTimeField(null=True, blank=True, help_text="SimLane ended (or cancelled) the Discord event")
    archived_at = models.DateTimeField(null=True, blank=True, help_text="threads locked, voice and roles deleted")
    next_due_at = models.DateTimeField(
        null=True, blank=True, db_index=True, help_text="when the bot's tick should look at this event again"
    )

    def __str__(self) -> str:
        return f"Discord progress of event {self.event_id}"


class TeamDiscord(models.Model):
    """A team's Discord objects: its private thread (and who was added), role and voice channels."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="discord")
    thread_id = models.BigIntegerField(null=True, blank=True, help_text="private thread in the event channel")
    thread_member_ids = models.JSONField(default=list, blank=True, help_text="Discord users added to the thread")
    role_id = models.BigIntegerField(null=True, blank=True)
    role_member_ids = models.JSONField(default=list, blank=True, help_text="Discord users given the team role")
    practice_voice_id = models.BigIntegerField(null=True, blank=True)
    race_voice_id = models.BigIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Discord objects of team {self.team_id}"
