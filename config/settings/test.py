"""The test suite: same settings, eager Celery, fast hashing. DATABASE_URL picks SQLite or PostgreSQL."""

from .base import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "simlane-test"}}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not :memory:, so the tests run on SQLite as SimLane does: WAL, busy timeout, several connections.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}  # noqa: F405
DATABASES["demo"]["TEST"] = {"NAME": str(DATA_DIR / "test-demo.sqlite3")}  # noqa: F405

# The Discord application the tests log in with: the local OAuth stand-in's (simlane.discord_oauth_standin).
DISCORD_CLIENT_ID = "100000000000000001"
DISCORD_CLIENT_SECRET = "standin-client-secret"  # noqa: S105 - the stand-in's published test secret
