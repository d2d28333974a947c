"""Discord's Linked Roles API as SimLane uses it: the application's metadata records, a user's role connection.

Blocking (httpx) like ``simlane.clubs.discord_oauth``, whose base URL settings it shares; one attempt per call
with a timeout (a failed push is recorded and retried at the next refresh, never in a loop).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings

from simlane.clubs.discord_oauth import api_url, discord_request

PLATFORM_NAME = "iRacing"

# Discord's metadata types (``application-role-connection-metadata``).
INTEGER_GREATER_THAN_OR_EQUAL = 2
BOOLEAN_EQUAL = 7


@dataclass(frozen=True)
class MetadataRecord:
    key: str
    name: str
    description: str
    type: int

    def as_json(self) -> dict[str, Any]:
        return {"type": self.type, "key": self.key, "name": self.name, "description": self.description}


# What a server can require of a role: the one list the registration command and every push use.
METADATA: tuple[MetadataRecord, ...] = (
    MetadataRecord("verified_driver", "Verified iRacing driver", "Signed in with iRacing on SimLane", BOOLEAN_EQUAL),
    MetadataRecord("irating", "iRating", "iRating (road) at least", INTEGER_GREATER_THAN_OR_EQUAL),
    MetadataRecord(
        "license_class",
        "Licence class",
        "Licence class at least: 1 Rookie, 2 D, 3 C, 4 B, 5 A, 6 Pro",
        INTEGER_GREATER_THAN_OR_EQUAL,
    ),
    MetadataRecord(
        "safety_rating",
        "Safety rating × 100",
        "Safety rating × 100 at least (3.50 is 350)",
        INTEGER_GREATER_THAN_OR_EQUAL,
    ),
)


def _application_id() -> str:
    return str(settings.DISCORD_CLIENT_ID)


def metadata_register(bot_token: str) -> list[dict[str, Any]]:
    """Replace the application's role-connection metadata with ``METADATA``; Discord's answer."""
    url = api_url(f"applications/{_application_id()}/role-connections/metadata")
    body = [record.as_json() for record in METADATA]
    response = discord_request(
        "PUT",
        url,
        json=body,
        headers={"Authorization": f"Bot {bot_token}"},
        refused="Discord refused the metadata (HTTP {status}): {text}",
    )
    answer: list[dict[str, Any]] = response.json()
    return answer


def fetch_me(access_token: str) -> int:
    """The Discord user id of a token (``GET /users/@me``, scope ``identify``)."""
    response = discord_request(
        "GET",
        api_url("users/@me"),
        headers={"Authorization": f"Bearer {access_token}"},
        refused="Discord refused to say who you are (HTTP {status}); try again.",
    )
    return int(response.json()["id"])


def connection_put(access_token: str, *, username: str, metadata: dict[str, str]) -> dict[str, Any]:
    """Set the user's role connection for SimLane (``PUT /users/@me/applications/{id}/role-connection``)."""
    url = api_url(f"users/@me/applications/{_application_id()}/role-connection")
    body = {"platform_name": PLATFORM_NAME, "platform_username": username[:100], "metadata": metadata}
    response = discord_request(
        "PUT",
        url,
        json=body,
        headers={"Authorization": f"Bearer {access_token}"},
        refused="Discord refused the role connection (HTTP {status}).",
        expired="Your Discord authorization for roles has expired; link roles again.",
    )
    answer: dict[str, Any] = response.json()
    return answer
