"""The ``simlane`` console command: Django's management commands under a friendlier name."""

from __future__ import annotations

import os
import sys

# Commands that set up the database themselves, or never read it: they run whatever state the database is in.
# `run` applies pending migrations itself (the main job owns its database); `bench` works on a throw-away one.
NO_DATABASE_CHECK = {
    "help",
    "version",
    "--help",
    "-h",
    "--version",
    "migrate",
    "makemigrations",
    "showmigrations",
    "sqlmigrate",
    "squashmigrations",
    "optimizemigration",
    "check",
    "diffsettings",
    "dbshell",
    "shell",
    "test",
    "run",
    "bench",
    "simulator",
    "collectstatic",  # the image build collects static files with no database at all
}


def database_problem() -> str | None:
    """One line saying what to do when the default database is unreachable or not fully migrated, else None."""
    from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        nothing_applied = not executor.loader.applied_migrations
    except DatabaseError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"The database cannot be opened ({reason}): check DATABASE_URL."
    if not plan:
        return None
    if nothing_applied:
        return "The database is not set up yet: run `simlane migrate`."
    return f"The database is {len(plan)} migration(s) behind this SimLane: run `simlane migrate`."


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django
    from django.core.management import execute_from_command_line

    command = sys.argv[1] if len(sys.argv) > 1 else "help"
    if command not in NO_DATABASE_CHECK:
        # Stop before the command, not halfway through it: a missing table would otherwise surface as a traceback
        # ("no such table") after the command may already have written part of its work. Migrations are not
        # applied here on the user's behalf: on a shared PostgreSQL they change the schema under every running
        # process, which should be a deliberate `simlane migrate` (or `simlane run`, which owns its database).
        django.setup()
        problem = database_problem()
        if problem:
            sys.exit(problem)
    execute_from_command_line(["simlane", *sys.argv[1:]])


if __name__ == "__main__":
    main()
