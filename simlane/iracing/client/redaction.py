"""Remove secrets from text before it is logged, raised or shown.

Two layers: values registered at start-up (the configured password, client secret, Discord token, and every
access/refresh token the client receives) are replaced wherever they appear; and patterns catch secrets we were
never told about (bearer headers, ``password=`` form fields, pre-signed URL signatures).
"""

from __future__ import annotations

import re
import threading

_MASK = "[REDACTED]"
_lock = threading.Lock()
_secrets: set[str] = set()

_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"),
    re.compile(
        r"(?i)((?:access_token|refresh_token|client_secret|password|token|secret)[\"']?\s*[:=]\s*[\"']?)"
        r"[^\s&\"',}]+"
    ),
    # Pre-signed S3/CloudFront links: the signature and credential are bearer secrets for a few minutes.
    re.compile(r"(?i)((?:X-Amz-(?:Signature|Credential|Security-Token)|Signature|Key-Pair-Id|Policy)=)[^&\s\"']+"),
)


def register_secret(value: str | None) -> None:
    """Remember a secret value so that :func:`redact` removes it from any text from now on."""
    if value and len(value) >= 4:
        with _lock:
            _secrets.add(value)


def redact(text: str) -> str:
    """Return ``text`` with every known secret and every secret-looking pattern masked."""
    if not text:
        return text
    with _lock:
        known = sorted(_secrets, key=len, reverse=True)
    for value in known:
        if value in text:
            text = text.replace(value, _MASK)
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + _MASK, text)
    return text
