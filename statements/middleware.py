"""Middleware: requests refused before they reach a view, headers every answer carries, and
one log line per request."""

from __future__ import annotations

import logging

from django.conf import settings
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
