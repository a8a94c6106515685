"""Function views by page family: fetch, act, render. htmx requests get a partial of the
same template (`partial`); the rules they apply live on models, QuerySets and services.

- pages: home, statement list and page, source and event pages, search;
- compare: the engine's side-by-side view of two statements, and its JSON;
- comparisons: saved comparisons and the curation of their links;
- notes: readers' notes, and their W3C Web Annotation export;
- accounts: sign-up (sign-in and password change are Django's own views);
- admin_import: the admin's "Import statements" page.
"""

from __future__ import annotations

from django.http import HttpRequest, QueryDict


def partial(request: HttpRequest, template: str, name: str) -> str:
    """The whole page, or only its `name` partial when htmx asks for it (not when it is
    restoring a page missing from its history cache: that needs the whole page)."""
    wants_partial = request.htmx and not request.htmx.history_restore_request
    return f"{template}#{name}" if wants_partial else template


def query_in_force(query: QueryDict) -> QueryDict:
    """`query` without its blank values: the filters in force, what a shared link carries
    ("?source=nato", never "?source=nato&event=&language=&year=")."""
    kept = QueryDict(mutable=True)
    for key, values in query.lists():
        kept.setlist(key, [value for value in values if value.strip()])
    return QueryDict(kept.urlencode())  # keys left with no value are gone


def url_in_force(request: HttpRequest) -> str | None:
    """The request's URL with only its filters in force; None when it holds no blank one
    (then it is the URL already, as the browser wrote it)."""
    if all(value.strip() for _, values in request.GET.lists() for value in values):
        return None
    query = query_in_force(request.GET).urlencode()
    return f"{request.path}?{query}" if query else request.path
