"""Writes for the bot's own per-server settings."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from simlane.core.errors import ApplicationError

from .models import GuildSettings

# A server's race guide follows at most this many series: Discord shows at most 25 autocomplete choices, so
# /raceguide unfollow can always offer every followed series, and the guide stays readable.
MAX_FOLLOWED_SERIES = 25


class FollowError(ApplicationError):
    """The race guide's list of followed series was not changed (the message says why)."""


def guild_admin_role_set(*, guild_id: int, role_id: int | None) -> GuildSettings:
    settings, _ = GuildSettings.objects.update_or_create(guild_id=guild_id, defaults={"admin_role_id": role_id})
    return settings


def _settings_for_update(guild_id: int) -> GuildSettings:
    try:
        with transaction.atomic():
            settings, _ = GuildSettings.objects.select_for_update().get_or_create(guild_id=guild_id)
    except IntegrityError:  # created by a concurrent call between the read and the insert
        settings = GuildSettings.objects.select_for_update().get(guild_id=guild_id)
    return settings


@transaction.atomic
def guild_series_follow(*, guild_id: int, series_id: int) -> tuple[list[int], bool]:
    """Add a series to the server's race guide; (the followed ids, whether it was added). Refused past the limit."""
    settings = _settings_for_update(guild_id)
    followed = [int(s) for s in settings.followed_series]
    if series_id in followed:
        return followed, False
    if len(followed) >= MAX_FOLLOWED_SERIES:
        raise FollowError(
            f"The race guide already follows {len(followed)} series, the most it can follow "
            f"({MAX_FOLLOWED_SERIES}). `/raceguide unfollow` one first. Nothing was changed."
        )
    followed.append(series_id)
    settings.followed_series = followed
    settings.save(update_fields=["followed_series", "updated_at"])
    return followed, True


@transaction.atomic
def guild_series_unfollow(*, guild_id: int, series_id: int) -> list[int]:
    """Remove a series from the server's race guide; the followed ids left. Refused if it is not followed."""
    settings = _settings_for_update(guild_id)
    followed = [int(s) for s in settings.followed_series]
    if series_id not in followed:
        raise FollowError("The race guide does not follow that series. Nothing was changed.")
    followed.remove(series_id)
    settings.followed_series = followed
    settings.save(update_fields=["followed_series", "updated_at"])
    return followed
