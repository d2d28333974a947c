"""The test suite: same settings, eager Celery, fast hashing. DATABASE_URL picks SQLite or PostgreSQL."""

from .base import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "simlane-test"}}
