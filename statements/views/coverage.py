"""An event's coverage matrix around one of its statements, its CSV and JSON exports."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from statements.services import coverage

from . import partial
from .compare import POLL_SECONDS

TEMPLATE = "statements/event_coverage.html"


@require_GET
@vary_on_headers("HX-Request")
def event_coverage(request: HttpRequest, slug: str) -> HttpResponse:
    """The matrix; htmx polls its `matrix` partial while pairs are being aligned."""
    try:
        found = coverage.event_coverage(slug, request.GET.get("pivot") or None)
    except coverage.NoStatements as empty:
        return render(request, TEMPLATE, {"event": empty.event, "empty": str(empty)})
    context = {"event": found.event, "coverage": found, "poll_seconds": POLL_SECONDS}
    return render(request, partial(request, TEMPLATE, "matrix"), context)


@require_GET
def event_coverage_csv(request: HttpRequest, slug: str) -> HttpResponse:
    found = _exported(request, slug)
    response = HttpResponse(coverage.as_csv(found), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}-coverage.csv"'
    return response


@require_GET
def event_coverage_json(request: HttpRequest, slug: str) -> HttpResponse:
    found = _exported(request, slug)
    return JsonResponse(coverage.as_json(found), json_dumps_params={"ensure_ascii": False})


def _exported(request: HttpRequest, slug: str) -> coverage.Coverage:
    try:
        return coverage.event_coverage(slug, request.GET.get("pivot") or None)
    except coverage.NoStatements as empty:
        raise Http404(str(empty)) from empty
