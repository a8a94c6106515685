"""The engine's side-by-side view of two statements, its JSON, and the picker that leads
there."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from statements.forms import CompareForm, CompareOptionsForm, ComparisonForm
from statements.models import Annotation
from statements.reading import build_reading
from statements.services import comparing, exports

from . import partial

# How often a page (or a client) asks again for a pair the worker is aligning.
POLL_SECONDS = 2
PICKER_SIDES = {"left_q": "left", "right_q": "right"}


@require_GET
@vary_on_headers("HX-Request")
def compare_pick(request: HttpRequest) -> HttpResponse:
    """The compare form's target: valid picks redirect to the comparison's own URL. A
    picker's search box asks, through htmx, for the statements its words match (the
    `left-choices` or `right-choices` partial of the form)."""
    form = CompareForm(request.GET or None)
    side = PICKER_SIDES.get(request.headers.get("HX-Trigger-Name", ""))
    if request.htmx and side and form.searchable:
        template = f"statements/_compare_form.html#{side}-choices"
        return render(request, template, {"picker": form.picker(side)})
    if form.is_valid():
        return redirect("compare", form.cleaned_data["left"].slug, form.cleaned_data["right"].slug)
    status = 400 if form.is_bound else 200
    return render(request, "statements/compare_pick.html", {"form": form}, status=status)


def columns_context(
    request: HttpRequest,
    pair: comparing.Pair,
    result: comparing.PairResult,
    links,
    *,
    show_all: bool,
    cacheable=True,
    updated=None,
    link_notes=None,
) -> dict:
    """What the two columns of a compare page need, shared by the engine's and saved views.

    The rows are built only when the rendered columns are not cached; columns holding forms
    (an owner's curation controls, with CSRF tokens) are never cached.
    """
    notes = (
        Annotation.objects.visible_to(request.user)
        .filter(paragraph__in=[*pair.left_paragraphs, *pair.right_paragraphs])
        .grouped_by("paragraph_id")
    )
    link_notes = link_notes or {}
    every_note = {**notes, **{f"link-{pk}": group for pk, group in link_notes.items()}}
    key = comparing.columns_cache_key(
        result, show_all=show_all, user=request.user, notes=every_note, updated=updated
    )
    return {
        "pair": pair,
        "result": result,
        "reading": SimpleLazyObject(
            lambda: build_reading(pair, links, result.framing, show_all=show_all)
        ),
        "columns_key": key if cacheable else None,
        "poll_seconds": POLL_SECONDS,
        "notes_by_paragraph": notes,
        "notes_by_link": link_notes,
    }


@require_GET
@vary_on_headers("HX-Request")
def compare(request: HttpRequest, left: str, right: str) -> HttpResponse:
    try:
        pair = comparing.load_pair(left, right)
    except comparing.SameStatement:
        form = CompareForm({"left": left, "right": right})
        return render(request, "statements/compare_pick.html", {"form": form}, status=400)
    options = CompareOptionsForm.from_query(request.GET)
    threshold, show_all = options.options()
    result = comparing.compare_pair(pair, threshold=threshold)
    links = comparing.engine_links(result.alignment)
    context = {
        **columns_context(request, pair, result, links, show_all=show_all),
        "options": options,
        "picker": CompareForm(initial={"left": left, "right": right}),
        "save_form": ComparisonForm(initial={"title": comparing.default_title(pair)}),
    }
    return render(request, partial(request, "statements/compare.html", "columns"), context)


@require_GET
def compare_json(request: HttpRequest, left: str, right: str) -> JsonResponse:
    try:
        pair = comparing.load_pair(left, right)
    except comparing.SameStatement as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    threshold, _ = CompareOptionsForm.from_query(request.GET).options()
    result = comparing.compare_pair(pair, threshold=threshold)
    if result.pending:
        return aligning_response()
    document = exports.comparison_document(pair, result)
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False})


def aligning_response() -> JsonResponse:
    """202 for a pair the worker is still aligning: ask again shortly."""
    response = JsonResponse(
        {"status": "aligning", "message": "The worker is aligning these statements."},
        status=202,
    )
    response["Retry-After"] = str(POLL_SECONDS)
    return response
