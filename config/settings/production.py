"""Production: a real secret key and explicit hosts are required."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY

if SECRET_KEY.startswith("insecure-"):
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY for production")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
