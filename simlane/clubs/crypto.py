"""Encrypt OAuth tokens at rest with Fernet; the key is DISCORD_TOKEN_KEY, or derived from SECRET_KEY."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

from simlane.iracing.client.redaction import register_secret


def _fernet() -> Fernet:
    configured = getattr(settings, "DISCORD_TOKEN_KEY", "")
    if configured:
        return Fernet(configured.encode())
    # A key of its own purpose: SHA-256 over a label and SECRET_KEY, so the SECRET_KEY itself is never the key.
    digest = hashlib.sha256(b"simlane.clubs.crypto/oauth-tokens\x00" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt(value: str) -> str:
    """Return the Fernet token of ``value``; the value is registered with the log redaction first."""
    if not value:
        return ""
    register_secret(value)
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    """Return the clear value of a Fernet token ("" for an empty or unreadable one, e.g. after a key change)."""
    if not token:
        return ""
    try:
        value = _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return ""
    register_secret(value)
    return value
