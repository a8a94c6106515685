"""Forms, by the pages that use them: reading (filters, compare, search), curation (saved
comparisons, links, notes, moderation) and imports (the admin's import page)."""

from __future__ import annotations

from .curation import (
    AnnotationForm,
    ComparisonForm,
    HideForm,
    LinkUpdateForm,
    ManualLinkForm,
)
from .reading import (
    LANGUAGE_NAMES,
    CompareForm,
    CompareOptionsForm,
    SearchForm,
    StatementFilterForm,
    language_choices,
)

__all__ = [
    "LANGUAGE_NAMES",
    "AnnotationForm",
    "CompareForm",
    "CompareOptionsForm",
    "ComparisonForm",
    "HideForm",
    "LinkUpdateForm",
    "ManualLinkForm",
    "SearchForm",
    "StatementFilterForm",
    "language_choices",
]
