"""Settings shared by every environment; everything is read from the environment (see .env.example)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url

from simlane.core.logging import redacting_logging_config

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def _load_dotenv(path: Path) -> None:
    """Read KEY=value lines of a .env file into the environment; variables already set win."""
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        key, sep, value = line.strip().partition("=")
        if sep and key and not key.startswith("#"):
            os.environ.setdefault(key.strip().removeprefix("export ").strip(), value.strip().strip("'\""))


_load_dotenv(BASE_DIR / ".env")


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    return default if not value else value.lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env(name)
    return int(value) if value else default


SECRET_KEY = env("DJANGO_SECRET_KEY", "insecure-dev-key-change-me")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = [h for h in env("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simlane.core",
    "simlane.iracing",
    "simlane.results",
    "simlane.racenumbers",
    "simlane.discord_bot",
    "simlane.bench",
    "simlane.clubs",
    "simlane.events",
    "simlane.web",
    "simlane.identity",
    "simlane.ops",
    "simlane.cards",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    # Its provider class is replaced by SimLane's (SOCIALACCOUNT_PROVIDERS below), which reads Discord's URLs from
    # settings; the app stays installed for its templates and account class.
    "allauth.socialaccount.providers.discord",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

# --- Database ------------------------------------------------------------------------------------------------------
# A SQLite file by default, in WAL mode with a busy timeout and IMMEDIATE transactions so that the bot, the poller and
# workers (threads and processes) can write to it without "database is locked". DATABASE_URL switches to PostgreSQL.
DATA_DIR = Path(env("SIMLANE_DATA_DIR", str(BASE_DIR / "var")))
SQLITE_OPTIONS: dict[str, Any] = {
    "timeout": 30,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
}


def database_config(url: str) -> dict[str, Any]:
    if not url:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{DATA_DIR / 'simlane.sqlite3'}"
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
        config["CONN_MAX_AGE"] = 0
    return config


DATABASES = {
    "default": database_config(env("DATABASE_URL")),
    # The demo's own SQLite file: `simlane run` without credentials routes every query here (simlane.core.db), so
    # the demo never reads or writes real data, whatever DATABASE_URL says.
    "demo": database_config(f"sqlite:///{DATA_DIR / 'demo.sqlite3'}"),
}
DATABASE_ROUTERS = ["simlane.core.db.DemoRouter"]
# Seconds a fetched iRacing catalogue response (cars, classes, tracks, series, seasons) is reused: it changes rarely
# (new content, a new season), so a day-old copy is current enough and re-running a sync costs no Data API calls.
IRACING_CACHE_TTL = env_int("IRACING_CACHE_TTL", 24 * 3600)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis (optional): the cache, and the iRacing account's rate budget shared by every process using the account.
REDIS_URL = env("REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        # A file cache without Redis: cached iRacing reference data survives between runs of the sync commands.
        else {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(DATA_DIR / "cache")}
    )
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# WhiteNoise serves static files from the ASGI app itself; finders let `simlane web` and the demo run without a
# collectstatic step (production settings serve the collected, compressed and hashed files).
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Web login (django-allauth, Discord only) ----------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "web:home"
LOGIN_REDIRECT_URL = "web:dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "web:home"
ACCOUNT_ADAPTER = "simlane.web.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "simlane.web.adapters.SocialAccountAdapter"
SOCIALACCOUNT_ONLY = True  # no local passwords: a SimLane account is a Discord account
ACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_LOGIN_ON_GET = False  # starting a login needs a POST with the CSRF token
# allauth's own token table would keep them in clear; SimLane keeps them encrypted (simlane.clubs.DiscordCredential).
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS = {
    "discord": {
        "provider_class": "simlane.web.discord_login.provider.SimLaneDiscordProvider",
        "SCOPE": ["identify", "guilds"],
    }
}

# --- Celery --------------------------------------------------------------------------------------------------------
# Without a broker every task runs eagerly in-process, so one command runs everything on one machine.
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Every task has its own limit (a test holds each to this ceiling); this is the longest any task may run.
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
# A task is acknowledged after it ran, not when it was received, and a worker process that dies mid-task (SIGKILL,
# out of memory) puts its message back on the queue: work is never dropped. Tasks are idempotent, so a redelivery
# is harmless.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis hands an unacknowledged message to another worker after the visibility timeout: just above the longest task
# limit, so a whole worker killed mid-task costs at most that long, and a task still running is never given out twice.
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", CELERY_TASK_TIME_LIMIT + 60)
# Every worker looks for such messages every 10 s (kombu's default scans only every 100 s).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_TIMEZONE = "UTC"
# The results search on Celery (with a broker): beat sends one task per partition of the tracked drivers every
# RESULTS_POLL_SECONDS; any worker takes a partition it finds free. More partitions spread a large community over
# more workers; every partition's worker reads the ratings of its own drivers, so a few hundred drivers each is
# about right (changing the count costs each partition its warm memory once).
RESULTS_POLL_SECONDS = env_int("RESULTS_POLL_SECONDS", 120)
RESULTS_PARTITIONS = env_int("RESULTS_PARTITIONS", 8)
RESULTS_PARTITION_SECONDS = env_int("RESULTS_PARTITION_SECONDS", 5 * 60)  # a partition task's hard time limit

# --- iRacing -------------------------------------------------------------------------------------------------------
IRACING_CLIENT_ID = env("IRACING_CLIENT_ID")
IRACING_CLIENT_SECRET = env("IRACING_CLIENT_SECRET")
IRACING_USERNAME = env("IRACING_USERNAME")
IRACING_PASSWORD = env("IRACING_PASSWORD")
IRACING_API_BASE_URL = env("IRACING_API_BASE_URL", "https://members-ng.iracing.com")
IRACING_OAUTH_BASE_URL = env("IRACING_OAUTH_BASE_URL", "https://oauth.iracing.com")
IRACING_CONCURRENCY = env_int("IRACING_CONCURRENCY", 4)
# More iRacing accounts for the results poller, each with its own rate budget (tracked drivers are spread over
# them): IRACING_USERNAME_2 / IRACING_PASSWORD_2, IRACING_USERNAME_3 / IRACING_PASSWORD_3, with the same client id.
# iRacing's password_limited grant allows fewer than three users per client, so a second client id is needed past
# two accounts (check iRacing's terms before running several).
IRACING_EXTRA_ACCOUNTS = [
    (env(f"IRACING_USERNAME_{n}"), env(f"IRACING_PASSWORD_{n}")) for n in range(2, 4) if env(f"IRACING_USERNAME_{n}")
]
# "Sign in with iRacing" (simlane.identity): a separate authorization-code client registered with iRacing, with the
# redirect URI below (empty: this site's /identity/iracing/callback/ as the browser reached it). Empty id: off.
IRACING_OAUTH_CLIENT_ID = env("IRACING_OAUTH_CLIENT_ID")
IRACING_OAUTH_CLIENT_SECRET = env("IRACING_OAUTH_CLIENT_SECRET")
IRACING_OAUTH_REDIRECT_URI = env("IRACING_OAUTH_REDIRECT_URI")

# --- Discord -------------------------------------------------------------------------------------------------------
DISCORD_TOKEN = env("DISCORD_TOKEN")
DEV_GUILD_ID = env("DEV_GUILD_ID")
# The Discord application's OAuth2 credentials (login with Discord, adding the bot). The base URLs point at Discord;
# tests and the demo point them at the local stand-in (simlane.discord_oauth_standin).
DISCORD_CLIENT_ID = env("DISCORD_CLIENT_ID")
DISCORD_CLIENT_SECRET = env("DISCORD_CLIENT_SECRET")
DISCORD_OAUTH_BASE_URL = env("DISCORD_OAUTH_BASE_URL", "https://discord.com")
DISCORD_API_BASE_URL = env("DISCORD_API_BASE_URL", "https://discord.com/api")
# Where `simlane run` serves the dashboard beside the bot (`--web-host`/`--web-port` override them).
WEB_HOST = env("WEB_HOST", "127.0.0.1")
WEB_PORT = env_int("WEB_PORT", 8000)
# The health port of `simlane bot` (/healthz, /readyz, /metrics; the web app serves them on its own port). 0: off.
HEALTH_HOST = env("HEALTH_HOST", "127.0.0.1")
HEALTH_PORT = env_int("HEALTH_PORT", 8001)
# Fernet key for OAuth tokens at rest (`Fernet.generate_key()`); empty: derived from DJANGO_SECRET_KEY.
DISCORD_TOKEN_KEY = env("DISCORD_TOKEN_KEY")

LOG_LEVEL = env("LOG_LEVEL", "INFO").upper()
# plain: a line of text per record; json: one JSON object per line (for log collectors). Both are redacted.
LOG_FORMAT = env("SIMLANE_LOG_FORMAT", "plain").lower()
LOGGING = redacting_logging_config(
    LOG_LEVEL,
    log_format=LOG_FORMAT,
    # Warnings and errors counted by logger for /metrics (failures by kind).
    extra_handlers={"problems": {"()": "simlane.ops.problems.ProblemCounter"}},
    secrets=[
        IRACING_CLIENT_SECRET,
        IRACING_PASSWORD,
        *(password for _, password in IRACING_EXTRA_ACCOUNTS),
        IRACING_OAUTH_CLIENT_SECRET,
        DISCORD_TOKEN,
        SECRET_KEY,
        DISCORD_CLIENT_SECRET,
        DISCORD_TOKEN_KEY,
    ],
)
