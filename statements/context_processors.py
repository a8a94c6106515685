"""Context processors: what every page's template needs."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    """Context processor: what every page's header needs to know."""
    return {"signup_enabled": settings.PARALLAX_SIGNUP}
