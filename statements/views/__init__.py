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

from django.http import HttpRequest


def partial(request: HttpRequest, template: str, name: str) -> str:
    """The whole page, or only its `name` partial when htmx asks for it (not when it is
    restoring a page missing from its history cache: that needs the whole page)."""
    wants_partial = request.htmx and not request.htmx.history_restore_request
    return f"{template}#{name}" if wants_partial else template
