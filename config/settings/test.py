"""The test suite: same settings, eager Celery, fast hashing. DATABASE_URL picks SQLite or PostgreSQL."""

from .base import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "simlane-test"}}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not :memory:, so the tests run on SQLite as SimLane does: WAL, busy timeout, several connections.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}  # noqa: F405
DATABASES["demo"]["TEST"] = {"NAME": str(DATA_DIR / "test-demo.sqlite3")}  # noqa: F405
