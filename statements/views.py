"""Function views: fetch, act, render. htmx requests get a partial of the same template."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from . import annotating, services
from .forms import CompareForm, CompareOptionsForm, ComparisonForm, StatementFilterForm
from .models import Event, Paragraph, Source, Statement
from .search import SearchForm

STATEMENTS_PER_PAGE = 20


def partial(request: HttpRequest, template: str, name: str) -> str:
    """The whole page, or only its `name` partial when htmx asks for it (not when it is
    restoring a page missing from its history cache: that needs the whole page)."""
    wants_partial = request.htmx and not request.htmx.history_restore_request
    return f"{template}#{name}" if wants_partial else template


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    events = Event.objects.prefetch_related(
        Prefetch(
            "statements",
            queryset=Statement.objects.select_related("source").chronological(),
        )
    )
    context = {
        "events": events,
        "recent": Statement.objects.select_related("source").order_by("-imported_at")[:8],
        "sources": Source.objects.annotate(statement_count=Count("statements")),
        "compare_form": CompareForm(),
    }
    return render(request, "statements/home.html", context)


@require_GET
@vary_on_headers("HX-Request")
def statement_list(request: HttpRequest) -> HttpResponse:
    form = StatementFilterForm(request.GET or None)
    statements = Statement.objects.for_listing().order_by("-published_on", "title", "pk")
    if form.is_bound:
        statements = form.filter(statements)
    page = Paginator(statements, STATEMENTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, partial(request, "statements/statement_list.html", "results"), context)


@require_GET
def statement_detail(request: HttpRequest, slug: str) -> HttpResponse:
    statement = get_object_or_404(
        Statement.objects.select_related("source").prefetch_related("events"), slug=slug
    )
    paragraphs = list(statement.paragraphs.all())
    context = {
        "statement": statement,
        "paragraphs": paragraphs,
        "boilerplate_count": sum(p.kind == Paragraph.Kind.BOILERPLATE for p in paragraphs),
        "notes_by_paragraph": annotating.annotations_for(paragraphs, request.user),
        "others": Statement.objects.exclude(pk=statement.pk)
        .select_related("source")
        .chronological(),
    }
    return render(request, "statements/statement_detail.html", context)


@require_GET
def source_detail(request: HttpRequest, slug: str) -> HttpResponse:
    source = get_object_or_404(Source, slug=slug)
    statements = source.statements.for_listing().order_by("-published_on", "title")
    context = {
        "source": source,
        "statements": statements,
        "framing": services.source_framing(source),
    }
    return render(request, "statements/source_detail.html", context)


@require_GET
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event, slug=slug)
    statements = event.statements.for_listing().chronological()
    # The first of two clicks to compare two of the event's statements: ?left=<slug>.
    compare_from = next((s for s in statements if s.slug == request.GET.get("left")), None)
    context = {"event": event, "statements": statements, "compare_from": compare_from}
    return render(request, "statements/event_detail.html", context)


@require_GET
def compare_pick(request: HttpRequest) -> HttpResponse:
    """The compare form's target: valid picks redirect to the comparison's own URL."""
    form = CompareForm(request.GET or None)
    if form.is_valid():
        return redirect("compare", form.cleaned_data["left"].slug, form.cleaned_data["right"].slug)
    status = 400 if form.is_bound else 200
    return render(request, "statements/compare_pick.html", {"form": form}, status=status)


def columns_context(
    request: HttpRequest,
    pair,
    result,
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
    notes = annotating.annotations_for(
        [*pair.left_paragraphs, *pair.right_paragraphs], request.user
    )
    link_notes = link_notes or {}
    every_note = {**notes, **{f"link-{pk}": group for pk, group in link_notes.items()}}
    key = services.columns_cache_key(
        result, show_all=show_all, user=request.user, notes=every_note, updated=updated
    )
    return {
        "pair": pair,
        "result": result,
        "reading": SimpleLazyObject(
            lambda: services.build_reading(pair, links, result.framing, show_all=show_all)
        ),
        "columns_key": key if cacheable else None,
        "notes_by_paragraph": notes,
        "notes_by_link": link_notes,
    }


@require_GET
@vary_on_headers("HX-Request")
def compare(request: HttpRequest, left: str, right: str) -> HttpResponse:
    pair = services.load_pair(left, right)
    if pair.left == pair.right:
        form = CompareForm({"left": left, "right": right})
        return render(request, "statements/compare_pick.html", {"form": form}, status=400)
    options = CompareOptionsForm(request.GET)
    threshold, show_all = options.options()
    result = services.compare_pair(pair, threshold=threshold)
    links = services.engine_links(result.alignment)
    context = {
        **columns_context(request, pair, result, links, show_all=show_all),
        "options": options,
        "picker": CompareForm(initial={"left": left, "right": right}),
        "save_form": ComparisonForm(initial={"title": services.default_title(pair)}),
    }
    return render(request, partial(request, "statements/compare.html", "columns"), context)


@require_GET
def compare_json(request: HttpRequest, left: str, right: str) -> JsonResponse:
    pair = services.load_pair(left, right)
    threshold, _ = CompareOptionsForm(request.GET).options()
    result = services.compare_pair(pair, threshold=threshold)
    document = services.comparison_document(pair, result)
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False})


@require_GET
@vary_on_headers("HX-Request")
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    context = {"form": form, "results": form.results(user=request.user)}
    return render(request, partial(request, "statements/search.html", "results"), context)
