"""``ModelAdmin`` generic for mypy (django-stubs) and plain at runtime (Django's class is not subscriptable)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin

if TYPE_CHECKING:
    ModelAdmin = admin.ModelAdmin[Any]
else:
    ModelAdmin = admin.ModelAdmin
