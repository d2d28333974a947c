"""The ``simlane`` console command: Django's management commands under a friendlier name."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["simlane", *sys.argv[1:]])


if __name__ == "__main__":
    main()
