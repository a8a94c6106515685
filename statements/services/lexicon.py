"""The framing lexicon as the engine gets it: FramingTerm rows as plain terms, cached.

The cache entry is dropped whenever the admin saves or deletes a term (`forget`), and its
digest is part of every stored alignment's content key: an edit makes them stale, and
they are computed again with the new lexicon.
"""

from __future__ import annotations

import hashlib
import json

from django.core.cache import cache

from statements import alignment
from statements.models import FramingTerm

CACHE_KEY = f"framing-lexicon:{alignment.ENGINE_VERSION}"


def current() -> tuple[str, list[dict[str, str]]]:
    """(digest, terms) of the lexicon as it stands: one query when the cache is cold."""
    found = cache.get(CACHE_KEY)
    if found is None:
        terms = [term.as_term() for term in FramingTerm.objects.order_by("pk")]
        digest = hashlib.sha1(json.dumps(terms, sort_keys=True).encode()).hexdigest()[:16]
        found = (digest, terms)
        cache.set(CACHE_KEY, found, None)
    return found


def forget() -> None:
    """Drop the cached lexicon (after an edit): the next alignment reads it again."""
    cache.delete(CACHE_KEY)
