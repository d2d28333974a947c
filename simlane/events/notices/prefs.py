"""A member's own choices about event notices: reminders by DM (off until they turn it on) and being mentioned when
they have not answered a signup (on until they turn it off). Each member sets only their own: the slash command
acts for the member who runs it, the web page for the logged-in member."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from simlane.clubs.discord_settings import reminder_offsets_parse
from simlane.clubs.models import Club, ClubDiscordSettings, ClubMember


@dataclass(frozen=True)
class NoticePrefs:
    dms: bool
    nudges: bool


def notice_prefs_get(*, club: Club, discord_user_id: int) -> NoticePrefs:
    member = ClubMember.objects.filter(club=club, discord_user_id=discord_user_id).first()
    if member is None:
        defaults = ClubMember()
        return NoticePrefs(dms=defaults.event_dms, nudges=defaults.event_nudges)
    return NoticePrefs(dms=member.event_dms, nudges=member.event_nudges)


def notice_prefs_update(
    *, club: Club, discord_user_id: int, dms: bool | None = None, nudges: bool | None = None, name: str = ""
) -> NoticePrefs:
    """Change what is given (None: unchanged); a member the member sync has not seen yet is recorded now."""
    member, _ = ClubMember.objects.get_or_create(
        club=club, discord_user_id=discord_user_id, defaults={"display_name": name[:100], "username": name[:100]}
    )
    changed: list[str] = []
    if dms is not None:
        member.event_dms = dms
        changed.append("event_dms")
    if nudges is not None:
        member.event_nudges = nudges
        changed.append("event_nudges")
    if changed:
        member.save(update_fields=[*changed, "updated_at"])
    return NoticePrefs(dms=member.event_dms, nudges=member.event_nudges)


@transaction.atomic
def club_notice_settings_update(
    *, club: Club, actor_id: int, stint_alert_offsets: str, nudge_unanswered: bool
) -> ClubDiscordSettings:
    """An admin's choice of stint alert offsets (``15m``, ``30m, 5m``; empty: none) and whether to nudge; refused
    whole (``ClubSettingsError``) when an offset is not understood."""
    offsets = reminder_offsets_parse(stint_alert_offsets)
    found, _ = ClubDiscordSettings.objects.select_for_update().get_or_create(club=club)
    found.stint_alert_offsets = offsets
    found.nudge_unanswered = nudge_unanswered
    found.updated_by = actor_id
    found.save(update_fields=["stint_alert_offsets", "nudge_unanswered", "updated_by", "updated_at"])
    return found
