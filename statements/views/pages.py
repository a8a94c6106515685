"""The reading pages: home, statements, sources, events, and search."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url

from statements.forms import CompareForm, SearchForm, StatementFilterForm
from statements.models import Annotation, Event, Source, Statement
from statements.services import coverage, vectors, vocabulary

from . import partial, query_in_force, url_in_force

STATEMENTS_PER_PAGE = 20
# The home page shows the latest events, each with its first statements; an event's
# timeline and a source's statements come a page at a time: bounded pages whatever the
# corpus.
HOME_EVENTS = 10
EVENT_PREVIEW = 6
EVENT_STATEMENTS_PER_PAGE = 100
SOURCE_STATEMENTS_PER_PAGE = 50


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    first = Statement.objects.select_related("source").chronological()[:EVENT_PREVIEW]
    events = Event.objects.annotate(statement_count=Count("statements")).prefetch_related(
        Prefetch("statements", queryset=first, to_attr="preview")
    )
    context = {
        "events": events.order_by(F("starts_on").desc(nulls_last=True), "name")[:HOME_EVENTS],
        "event_count": Event.objects.count(),
        "recent": Statement.objects.select_related("source").order_by("-imported_at")[:8],
        "sources": Source.objects.annotate(statement_count=Count("statements")),
        "compare_form": CompareForm(),
    }
    return render(request, "statements/home.html", context)


@require_GET
@vary_on_headers("HX-Request")
def statement_list(request: HttpRequest) -> HttpResponse:
    """Statements filtered by source, event, language and year. The URL keeps only the
    filters in force: a form sent with blank ones is redirected (htmx: the clean URL is
    the one pushed to the history)."""
    in_force = url_in_force(request)
    if in_force and not request.htmx:
        return redirect(in_force)
    query = query_in_force(request.GET)
    form = StatementFilterForm(query or None)
    statements = Statement.objects.for_listing().order_by("-published_on", "title", "pk")
    if form.is_bound:
        statements = form.filter(statements)
    page = Paginator(statements, STATEMENTS_PER_PAGE).get_page(query.get("page"))
    query = query.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    template = partial(request, "statements/statement_list.html", "results")
    response = render(request, template, context)
    return push_url(response, in_force) if in_force and request.htmx else response


@require_GET
def statement_detail(request: HttpRequest, slug: str) -> HttpResponse:
    statement = get_object_or_404(
        Statement.objects.select_related("source").prefetch_related("events"), slug=slug
    )
    # A page of paragraphs at a time: a statement at the paragraph cap stays fast.
    page, boilerplate_count = statement.paragraph_page(request.GET.get("page"))
    paragraphs = statement.reading_paragraphs(page.first, page.last)
    context = {
        "statement": statement,
        "paragraphs": paragraphs,
        "page": page,
        "boilerplate_count": boilerplate_count,
        "title_repeat_count": sum(p.folded == "title" for p in paragraphs),
        "notes_by_paragraph": Annotation.objects.visible_to(request.user)
        .filter(paragraph__in=paragraphs)
        .grouped_by("paragraph_id"),
        "compare_form": CompareForm(left=statement),
        "vectors_pending": vectors.pending(statement),
        "coverage": coverage.statement_coverage(statement, paragraphs),
    }
    return render(request, "statements/statement_detail.html", context)


@require_GET
def source_detail(request: HttpRequest, slug: str) -> HttpResponse:
    source = get_object_or_404(Source, slug=slug)
    statements = source.statements.for_listing().order_by("-published_on", "title", "pk")
    context = {
        "source": source,
        "page": Paginator(statements, SOURCE_STATEMENTS_PER_PAGE).get_page(request.GET.get("page")),
        "framing": vocabulary.source_framing(source),
    }
    return render(request, "statements/source_detail.html", context)


@require_GET
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event, slug=slug)
    statements = event.statements.for_listing().chronological()
    page = Paginator(statements, EVENT_STATEMENTS_PER_PAGE).get_page(request.GET.get("page"))
    # The first of two clicks to compare two of the event's statements: ?left=<slug>.
    left = request.GET.get("left")
    compare_from = event.statements.filter(slug=left).first() if left else None
    context = {"event": event, "page": page, "compare_from": compare_from}
    return render(request, "statements/event_detail.html", context)


@require_GET
@vary_on_headers("HX-Request")
def search(request: HttpRequest) -> HttpResponse:
    """Paragraphs matching the query and filters; like the statement list, the URL keeps
    only what is in force."""
    in_force = url_in_force(request)
    if in_force and not request.htmx:
        return redirect(in_force)
    form = SearchForm(query_in_force(request.GET) or None)
    context = {"form": form, "results": form.results(user=request.user)}
    response = render(request, partial(request, "statements/search.html", "results"), context)
    return push_url(response, in_force) if in_force and request.htmx else response
