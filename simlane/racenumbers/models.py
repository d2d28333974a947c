"""Car numbers per Discord server: configuration, claims (unique in the database), links to iRacing accounts,
trades and the audit log."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from simlane.core.models import TimeStampedModel


class OnLeave(models.TextChoices):
    RELEASE = "release", "Release their numbers"
    KEEP = "keep", "Keep their numbers"
    FLAG = "flag", "Keep and flag them in the roster for an admin"


class NumberConfig(TimeStampedModel):
    """One server's car-number rules and its iRacing league."""

    guild_id = models.BigIntegerField(unique=True, help_text="Discord server snowflake")
    league_id = models.BigIntegerField(null=True, blank=True, help_text="iRacing league whose roster is synced")
    min_number = models.PositiveIntegerField(default=0)
    max_number = models.PositiveIntegerField(default=999)
    announcement_channel_id = models.BigIntegerField(null=True, blank=True)
    auto_sync_minutes = models.PositiveIntegerField(default=0, help_text="0: only on /sync")
    leading_zeros_distinct = models.BooleanField(
        default=True, help_text='"07" and "7" are different numbers (as in iRacing)'
    )
    pools = models.JSONField(default=list, blank=True, help_text="named pools (car classes, series); empty: one")
    sync_pools = models.JSONField(
        default=list, blank=True, help_text="the pools the iRacing league roster reconciles (servers with pools)"
    )
    on_leave = models.CharField(
        max_length=8, choices=OnLeave.choices, default=OnLeave.FLAG, help_text="what a member leaving does to claims"
    )
    last_sync_at = models.DateTimeField(null=True, blank=True)
    last_sync_report = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = (
            models.CheckConstraint(condition=Q(min_number__lte=models.F("max_number")), name="number_range_ordered"),
            models.CheckConstraint(condition=Q(max_number__lte=999), name="number_max_three_digits"),
        )


class ClaimStatus(models.TextChoices):
    CLAIMED = "claimed", "Claimed, not yet assigned in iRacing"
    SYNCED = "synced", "Matches the iRacing roster"
    MISMATCH = "mismatch", "iRacing has another number"
    NOT_IN_ROSTER = "not_in_roster", "Not in the iRacing roster"


class NumberClaim(TimeStampedModel):
    """A member's number in one pool. Active claims are unique per (server, pool, number) and per member and pool."""

    guild_id = models.BigIntegerField()
    pool = models.CharField(max_length=50, blank=True, default="", help_text="empty: the server-wide pool")
    number = models.CharField(max_length=3, help_text='as claimed: "07" stays "07"')
    number_key = models.CharField(max_length=3, help_text="what uniqueness compares (depends on leading zeros)")
    discord_user_id = models.BigIntegerField()
    discord_name = models.CharField(max_length=100)
    status = models.CharField(max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.CLAIMED)
    iracing_number = models.CharField(max_length=3, blank=True, help_text="the member's number in iRacing at sync")
    active = models.BooleanField(default=True)
    released_at = models.DateTimeField(null=True, blank=True)
    member_left_at = models.DateTimeField(
        null=True, blank=True, help_text="the holder left the server (flagged for an admin to decide)"
    )

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["guild_id", "pool", "number_key"], condition=Q(active=True), name="uniq_active_number"
            ),
            models.UniqueConstraint(
                fields=["guild_id", "pool", "discord_user_id"], condition=Q(active=True), name="one_number_per_pool"
            ),
        )
        indexes = (models.Index(fields=["guild_id", "active"]),)


class MemberLink(TimeStampedModel):
    """A Discord member's iRacing account in one server.

    Pending (unverified) links claim nothing: several members may name the same account, since anyone can read a
    customer id off the public league roster. Only a verified link (an admin's approval, or proof that the member
    controls the account) is exclusive, and the database holds at most one per server and account.
    """

    guild_id = models.BigIntegerField()
    discord_user_id = models.BigIntegerField()
    cust_id = models.BigIntegerField()
    iracing_name = models.CharField(max_length=200)
    verified = models.BooleanField(default=False)
    verified_at = models.DateTimeField(null=True, blank=True)
    proof = models.CharField(max_length=200, blank=True, help_text="what verified it: how and by whom")

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["guild_id", "discord_user_id"], name="one_link_per_member"),
            models.UniqueConstraint(
                fields=["guild_id", "cust_id"], condition=Q(verified=True), name="one_verified_member_per_account"
            ),
        )
        indexes = (models.Index(fields=["guild_id", "cust_id"]),)


class TradeStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the other member"
    DONE = "done", "Swapped"
    DECLINED = "declined", "Declined"
    CANCELLED = "cancelled", "No longer possible"
    EXPIRED = "expired", "Not answered in time"


class NumberTrade(TimeStampedModel):
    """A swap one member offered another; the offer message's buttons carry its id, so it outlives the bot process."""

    guild_id = models.BigIntegerField()
    pool = models.CharField(max_length=50, blank=True, default="")
    from_user_id = models.BigIntegerField()
    to_user_id = models.BigIntegerField()
    from_number = models.CharField(max_length=3)
    to_number = models.CharField(max_length=3)
    status = models.CharField(max_length=16, choices=TradeStatus.choices, default=TradeStatus.PENDING)
    expires_at = models.DateTimeField(help_text="a pending offer not answered by then expires")

    class Meta:
        indexes = (models.Index(fields=["status", "expires_at"]),)


class AuditAction(models.TextChoices):
    CLAIM = "claim", "Claimed"
    RELEASE = "release", "Released"
    FORCE_RELEASE = "force_release", "Force-released"
    LINK = "link", "Linked an iRacing account"
    VERIFY = "verify", "Link verified"
    UNLINK = "unlink", "Link removed"
    SYNC = "sync", "Synced with iRacing"
    STATUS = "status", "Status changed by sync"
    CONFIG = "config", "Configuration changed"
    TRADE = "trade", "Traded"
    LEAVE = "leave", "Member left the server"


class AuditEntry(models.Model):
    guild_id = models.BigIntegerField(db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, help_text="Discord user; empty: the bot")
    action = models.CharField(max_length=16, choices=AuditAction.choices)
    pool = models.CharField(max_length=50, blank=True, default="")
    number = models.CharField(max_length=3, blank=True)
    subject_id = models.BigIntegerField(null=True, blank=True, help_text="the member the change is about")
    details = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.action} #{self.number} in {self.guild_id}"
