"""Car numbers for signups and teams, from the club's car-number pools (``simlane.racenumbers``).

A class uses the pool of the same name when the server has one (``GT3`` class → ``GT3`` pool), else the server's
single pool (or, on a server with pools but none of that name, the first). A member may prefer the number they
hold in that pool, or any number nobody else holds there; within one event two signups never prefer the same
number, and a team's number is its first driver's preference when free, else the lowest free number.
"""

from __future__ import annotations

from simlane.racenumbers.models import NumberConfig
from simlane.racenumbers.numbers import NumberInputError, number_key, parse_number
from simlane.racenumbers.selectors import active_claims, number_config_get

from ..models import EventClass, Signup, SignupStatus, Team
from . import EventError


def class_pool(config: NumberConfig, event_class: EventClass) -> str:
    """The pool a class's numbers come from."""
    if not config.pools:
        return ""
    match = next((p for p in config.pools if str(p).casefold() == event_class.name.casefold()), None)
    return str(match if match is not None else config.pools[0])


def _taken_in_event(event_class: EventClass, config: NumberConfig, *, exclude_signup: int | None) -> set[str]:
    rows = Signup.objects.filter(event_id=event_class.event_id).exclude(status=SignupStatus.WITHDRAWN)
    if exclude_signup is not None:
        rows = rows.exclude(id=exclude_signup)
    numbers = rows.exclude(preferred_number="").values_list("preferred_number", flat=True)
    return {number_key(n, leading_zeros_distinct=config.leading_zeros_distinct) for n in numbers}


def preferred_number_check(
    *, guild_id: int, event_class: EventClass, discord_user_id: int, typed: str, signup_id: int | None = None
) -> str:
    """The number as it will be shown, or a clear error: outside the range, held by someone else, or already
    preferred by another driver of this event."""
    if not typed.strip():
        return ""
    config = number_config_get(guild_id=guild_id)
    try:
        shown, key = parse_number(typed, config)
    except NumberInputError as exc:
        raise EventError(exc.message) from exc
    pool = class_pool(config, event_class)
    holder = active_claims(guild_id=guild_id, pool=pool).filter(number_key=key).first()
    if holder is not None and holder.discord_user_id != discord_user_id:
        where = f" in the {pool} pool" if pool else ""
        raise EventError(f"#{shown} belongs to another member{where}; pick your own number or a free one.")
    if key in _taken_in_event(event_class, config, exclude_signup=signup_id):
        raise EventError(f"Another driver of this event already asked for #{shown}.")
    return shown


def own_number(*, guild_id: int, event_class: EventClass, discord_user_id: int) -> str:
    """The number the member holds in the class's pool, if any (the default preference)."""
    config = number_config_get(guild_id=guild_id)
    claim = (
        active_claims(guild_id=guild_id, pool=class_pool(config, event_class))
        .filter(discord_user_id=discord_user_id)
        .first()
    )
    return claim.number if claim is not None else ""


def team_numbers(*, guild_id: int, teams: list[Team], preferences: dict[int, list[str]]) -> dict[int, str]:
    """A distinct number for each team: the first of its drivers' preferences still free, else the lowest free
    number of its class's pool that no other member holds. ``preferences`` maps team id → its drivers' numbers."""
    config = number_config_get(guild_id=guild_id)
    used: set[str] = set()
    out: dict[int, str] = {}
    for team in teams:
        for number in preferences.get(team.id, []):
            key = number_key(number, leading_zeros_distinct=config.leading_zeros_distinct)
            if number and key not in used:
                out[team.id] = number
                used.add(key)
                break
    for team in teams:
        if team.id in out:
            continue
        held = set(
            active_claims(guild_id=guild_id, pool=class_pool(config, team.event_class)).values_list(
                "number_key", flat=True
            )
        )
        for value in range(max(config.min_number, 1), config.max_number + 1):
            key = number_key(str(value), leading_zeros_distinct=config.leading_zeros_distinct)
            if key not in used and key not in held:
                out[team.id] = str(value)
                used.add(key)
                break
        else:
            raise EventError("The club's car-number range has no free number left for every team.")
    return out
