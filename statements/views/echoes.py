"""Where a sentence went: the statements that quote or closely restate one paragraph."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from statements.models import Paragraph
from statements.services import echoes

ECHOES_PER_PAGE = 20


@require_GET
def paragraph_echoes(request: HttpRequest, slug: str, position: int) -> HttpResponse:
    paragraph = get_object_or_404(
        Paragraph.objects.select_related("statement__source").defer(
            "terms", "statement__original_text"
        ),
        statement__slug=slug,
        position=position,
    )
    found = echoes.find(paragraph, paragraph.statement.language)
    page = Paginator(found, ECHOES_PER_PAGE).get_page(request.GET.get("page"))
    context = {"paragraph": paragraph, "statement": paragraph.statement, "page": page}
    return render(request, "statements/paragraph_echoes.html", context)
