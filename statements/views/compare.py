"""The engine's side-by-side view of two statements, one pair of it (the link panel, and its
own page without JavaScript), its JSON, and the picker that leads there."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from statements.alignment import DEFAULT_THRESHOLD
from statements.forms import CompareForm, CompareOptionsForm, ComparisonForm
from statements.models import Annotation
from statements.reading import ShownLink, build_reading, pair_view
from statements.services import comparing, exports

from . import partial

TEMPLATE = "statements/compare.html"
# How often a page (or a client) asks again for a pair the worker is aligning.
POLL_SECONDS = 2
ALIGNING = "These statements are still being aligned by the worker: ask again in a moment."
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
    links: list[ShownLink] | None,
    *,
    show_all: bool,
    pairs_url: str,
    pair_query: str = "",
    can_edit: bool = False,
    updated=None,
    link_notes=None,
) -> dict:
    """What the two columns of a compare page need, shared by the engine's and saved views.

    `links` None: not computed yet (the columns show, without marks). The columns hold no
    form and are cached; the pair cards are cached unless they hold an owner's curation
    controls (forms with CSRF tokens). The reading is built only when something renders
    uncached.
    """
    notes = (
        Annotation.objects.visible_to(request.user)
        .filter(paragraph__in=[*pair.left_paragraphs, *pair.right_paragraphs])
        .grouped_by("paragraph_id")
    )
    link_notes = link_notes or {}
    every_note = {**notes, **{f"link-{pk}": group for pk, group in link_notes.items()}}
    key = comparing.columns_cache_key(
        result,
        show_all=show_all,
        user=request.user,
        notes=every_note,
        updated=updated,
        page=pairs_url + pair_query,
        aligning=links is None,
    )
    return {
        "pair": pair,
        "result": result,
        "reading": SimpleLazyObject(
            lambda: build_reading(pair, links, result.framing, show_all=show_all)
        ),
        "columns_key": key,
        "cards_key": None if can_edit else key,
        "poll_seconds": POLL_SECONDS,
        "notes_by_paragraph": notes,
        "notes_by_link": link_notes,
        "pairs_url": pairs_url,
        "pair_query": pair_query,
    }


class NotLinked(Http404):
    """A pair's URL for two paragraphs that no link joins."""


def not_linked(request: HttpRequest, exc: NotLinked) -> HttpResponse:
    return render(request, "404.html", {"message": str(exc)}, status=404)


def panel_context(
    pair: comparing.Pair,
    result: comparing.PairResult,
    links: list[ShownLink],
    positions: tuple[int, int],
    *,
    page_url: str,
    pairs_url: str,
    pair_query: str = "",
) -> dict:
    """One link's panel: both passages marked with the engine's evidence, its reasons and
    quotations, and the links before and after it. NotLinked (a 404 that says so) when the
    two paragraphs are not linked."""
    ordered = sorted(links, key=lambda link: (link.left, link.right))
    index = next(
        (i for i, link in enumerate(ordered) if (link.left, link.right) == positions), None
    )
    if index is None:
        raise NotLinked(f"¶{positions[0]} and ¶{positions[1]} are not linked in this comparison.")
    link = ordered[index]
    left = next(p for p in pair.left_paragraphs if p.position == link.left)
    right = next(p for p in pair.right_paragraphs if p.position == link.right)
    return {
        "pair": pair,
        "result": result,
        "pair_view": pair_view(link, left, right, comparing.quotations(result.alignment)),
        "previous_link": ordered[index - 1] if index else None,
        "next_link": ordered[index + 1] if index + 1 < len(ordered) else None,
        "links_count": len(ordered),
        "link_index": index + 1,
        "page_url": page_url,
        "pairs_url": pairs_url,
        "pair_query": pair_query,
    }


def render_panel(request: HttpRequest, context: dict) -> HttpResponse:
    """The panel alone for htmx (it opens beside the columns), else the pair's own page,
    whose curation controls are plain form posts."""
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, f"{TEMPLATE}#panel", {**context, "shown_in": "panel"})
    return render(request, "statements/pair.html", {**context, "shown_in": "page"})


def engine_urls(pair: comparing.Pair, threshold: float) -> tuple[str, str, str]:
    """The engine view's URL, its pairs' base URL, and the query that keeps the threshold."""
    page_url = reverse("compare", args=[pair.left.slug, pair.right.slug])
    query = "" if threshold == DEFAULT_THRESHOLD else f"?threshold={threshold:g}"
    return page_url, f"{page_url}pairs/", query


def same_statement(request: HttpRequest, left: str, right: str) -> HttpResponse:
    """The picker's page, with a 400 that says why: a statement compared with itself."""
    form = CompareForm({"left": left, "right": right})
    return render(request, "statements/compare_pick.html", {"form": form}, status=400)


@require_GET
@vary_on_headers("HX-Request")
def compare(request: HttpRequest, left: str, right: str) -> HttpResponse:
    try:
        pair = comparing.load_pair(left, right)
    except comparing.SameStatement:
        return same_statement(request, left, right)
    options = CompareOptionsForm.from_query(request.GET)
    threshold, show_all = options.options()
    result = comparing.compare_pair(pair, threshold=threshold)
    links = None if result.pending else comparing.engine_links(result.alignment)
    page_url, pairs_url, pair_query = engine_urls(pair, threshold)
    context = {
        **columns_context(
            request,
            pair,
            result,
            links,
            show_all=show_all,
            pairs_url=pairs_url,
            pair_query=pair_query,
        ),
        "page_url": page_url,
        "options": options,
        "picker": CompareForm(initial={"left": left, "right": right}),
        "save_form": ComparisonForm(initial={"title": comparing.default_title(pair)}),
    }
    return render(request, partial(request, TEMPLATE, "columns"), context)


@require_GET
@vary_on_headers("HX-Request")
def compare_pair(
    request: HttpRequest, left: str, right: str, left_position: int, right_position: int
) -> HttpResponse:
    """One link of the engine's view: the panel (htmx), or a page of its own."""
    try:
        pair = comparing.load_pair(left, right)
    except comparing.SameStatement:
        return same_statement(request, left, right)
    threshold, _ = CompareOptionsForm.from_query(request.GET).options()
    result = comparing.compare_pair(pair, threshold=threshold)
    if result.pending:
        return not_linked(request, NotLinked(ALIGNING))
    page_url, pairs_url, pair_query = engine_urls(pair, threshold)
    try:
        context = panel_context(
            pair,
            result,
            comparing.engine_links(result.alignment),
            (left_position, right_position),
            page_url=page_url + pair_query,
            pairs_url=pairs_url,
            pair_query=pair_query,
        )
    except NotLinked as exc:
        return not_linked(request, exc)
    return render_panel(request, context)


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
