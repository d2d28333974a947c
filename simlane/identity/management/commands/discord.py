"""``simlane discord register-metadata``: register SimLane's Linked Roles metadata with the Discord application."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from simlane.clubs.discord_oauth import DiscordOAuthError
from simlane.identity import services


class Command(BaseCommand):
    help = "Discord application tasks (register-metadata: the Linked Roles records SimLane fills in)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("register-metadata", help="register the Linked Roles metadata (needs DISCORD_TOKEN)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            records = services.role_metadata_register(bot_token=settings.DISCORD_TOKEN)
        except (services.IdentityError, DiscordOAuthError) as exc:
            raise CommandError(exc.message) from exc
        for record in records:
            self.stdout.write(f"{record['key']}: {record['name']} (type {record['type']})")
        self.stdout.write(self.style.SUCCESS(f"{len(records)} Linked Roles metadata records registered."))
