"""``/healthz``, ``/readyz`` and ``/metrics`` of the web process (the bot serves the same on its health port)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST

from . import metrics
from .readiness import readiness


@never_cache
def healthz(_request: HttpRequest) -> JsonResponse:
    """Alive: the process answers. Nothing else is checked (a restart would not fix a dependency)."""
    return JsonResponse({"alive": True})


@never_cache
def readyz(_request: HttpRequest) -> JsonResponse:
    """Ready: 200 when every dependency this process needs answers, 503 (with which one failed) when not."""
    report = readiness("web", now=timezone.now())
    return JsonResponse(report.as_dict(), status=200 if report.ready else 503)


@never_cache
def metrics_view(_request: HttpRequest) -> HttpResponse:
    return HttpResponse(metrics.render(), content_type=CONTENT_TYPE_LATEST)
