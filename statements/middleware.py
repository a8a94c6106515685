"""Middleware: requests refused before they reach a view, headers every answer carries, and
one log line per request."""

from __future__ import annotations

import json
import logging
import time

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

request_log = logging.getLogger("parallax.requests")

NUL = "\x00"


def _holds_nul(parameters) -> bool:
    return any(
        NUL in key or any(NUL in value for value in values) for key, values in parameters.lists()
    )


def refuse(request: HttpRequest, message: str) -> HttpResponse:
    """A 400 that says why: JSON for the JSON endpoints, the error page otherwise."""
    if request.path.endswith((".json", ".jsonld")):
        return JsonResponse({"error": message}, status=400)
    return render(request, "400.html", {"reason": message}, status=400)


class RefuseNulBytes:
    """A NUL character in a parameter (a query string's or a form's, names or values) is
    refused with a 400 before any view runs: PostgreSQL cannot store or compare text that
    holds one (it answered `/annotations.jsonld?statement=%00` with a 500), and no reader
    types one. Uploaded files are not looked at: the importer reads their bytes itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _holds_nul(request.GET) or (request.method == "POST" and _holds_nul(request.POST)):
            return refuse(request, "A parameter of this request holds a NUL character.")
        cookie = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
        if NUL in cookie:  # the session store would look it up as is
            del request.COOKIES[settings.SESSION_COOKIE_NAME]
        return self.get_response(request)


class PermissionsPolicy:
    """Every answer refuses the browser features no page uses (settings.PERMISSIONS_POLICY)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class _QueryTimer:
    """A database execute wrapper: how many queries a request made, and their time."""

    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - start


class RequestLog:
    """One log line per request (`parallax.requests`, JSON on stdout): method, path, status,
    duration in ms, database queries and their ms, and the user's id or "anonymous". Slower
    than PARALLAX_SLOW_REQUEST_MS: at WARNING, the rest at INFO."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start = time.perf_counter()
        timer = _QueryTimer()
        with connection.execute_wrapper(timer):
            response = self.get_response(request)
        duration_ms = (time.perf_counter() - start) * 1000
        slow = duration_ms > settings.PARALLAX_SLOW_REQUEST_MS
        user = getattr(request, "user", None)
        fields = {
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round(duration_ms, 1),
            "db_queries": timer.count,
            "db_ms": round(timer.seconds * 1000, 1),
            "user": user.pk if user is not None and user.is_authenticated else "anonymous",
        }
        if slow:
            fields["slow"] = True
        request_log.log(
            logging.WARNING if slow else logging.INFO,
            "%(method)s %(path)s %(status)s %(duration_ms)sms",
            fields,
            extra={"request_fields": fields},
        )
        return response


class JsonLines(logging.Formatter):
    """A log record as one JSON object: time, level, logger, message, and a request's fields."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **getattr(record, "request_fields", {}),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)
