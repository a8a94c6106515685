"""Failed sign-ins and sign-ups, counted in the cache per account and per network address:
past a limit, further attempts are refused for a cool-down, with a message saying how long.

The counts live in the cache: with several web processes, set REDIS_URL so that they share
them (each process's local memory would count on its own). A successful sign-in clears its
account's count; an address's count only ends with its window.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


@dataclass(frozen=True)
class Limit:
    """At most `setting`'s number of attempts of one kind within the cool-down window."""

    scope: str  # what is counted, by what: "sign-in:account", "sign-up:address"
    setting: str  # the settings name of the number of attempts allowed
    refused: str  # the message, with {minutes}

    @property
    def attempts(self) -> int:
        return getattr(settings, self.setting)

    def key(self, value: str) -> str:
        digest = hashlib.sha256(value.encode("utf-8")).hexdigest()[:32]
        return f"parallax:throttle:{self.scope}:{digest}"


SIGN_IN_ACCOUNT = Limit(
    "sign-in:account",
    "PARALLAX_SIGN_IN_FAILURES_PER_ACCOUNT",
    "Too many failed sign-ins for this account: wait {minutes} and try again.",
)
SIGN_IN_ADDRESS = Limit(
    "sign-in:address",
    "PARALLAX_SIGN_IN_FAILURES_PER_ADDRESS",
    "Too many failed sign-ins from your network address: wait {minutes} and try again.",
)
SIGN_UP_ADDRESS = Limit(
    "sign-up:address",
    "PARALLAX_SIGN_UPS_PER_ADDRESS",
    "Too many sign-ups from your network address: wait {minutes} and try again.",
)


def client_address(request: HttpRequest) -> str:
    """The address the request came from: behind a TLS proxy (BEHIND_TLS_PROXY), the last
    X-Forwarded-For entry, the one that proxy saw (the ones before it are the client's say)."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and forwarded:
        return forwarded.rsplit(",", 1)[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def _minutes(seconds: float) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def refusal(*checks: tuple[Limit, str]) -> str:
    """The message for the first of (limit, value) in its cool-down, or "" if none is."""
    now = time.time()
    for limit, value in checks:
        until = cache.get(f"{limit.key(value)}:until")
        if until and until > now:
            return limit.refused.format(minutes=_minutes(until - now))
    return ""


def count(limit: Limit, value: str) -> None:
    """One more attempt against `limit` for `value`; the limit-th starts the cool-down."""
    window = settings.PARALLAX_THROTTLE_SECONDS
    key = limit.key(value)
    if cache.add(key, 1, window):
        attempts = 1
    else:
        try:
            attempts = cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.add(key, 1, window)
            attempts = 1
    if attempts >= limit.attempts:
        cache.set(f"{key}:until", time.time() + window, window)


def clear(limit: Limit, value: str) -> None:
    key = limit.key(value)
    cache.delete_many([key, f"{key}:until"])
