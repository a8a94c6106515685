"""The notes area under a paragraph or a link: what it shows, its DOM ids and its URLs.

Who sees which notes is the QuerySets' rule (`Annotation.objects.visible_to`); this is only
where they are shown, shared by the views that swap the area and the template tag that
draws it closed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.urls import reverse

from .models import Annotation


@dataclass
class Region:
    """The notes area under a paragraph (or a link): count, annotate button, list when open."""

    kind: str  # "paragraph" or "link"
    pk: int
    notes: list[Annotation] = field(default_factory=list)
    open: bool = False
    # A link's comparison key: its notes' URLs carry it, because an unlisted comparison is
    # only for those who were given its key (a link id alone opens nothing of it).
    key: str = ""

    @classmethod
    def of(cls, note: Annotation) -> Region:
        """The (closed, empty) area of the target `note` is on (a link's comparison loaded)."""
        if note.link_id:
            return cls("link", note.link_id, key=note.link.comparison.key)
        return cls("paragraph", note.paragraph_id)

    @classmethod
    def opened(cls, user, kind: str, pk: int, key: str = "") -> Region:
        """The area of one target, open, with the notes `user` may see: one query."""
        notes = Annotation.objects.visible_to(user).filter(**{kind: pk}).select_related("author")
        return cls(kind, pk, list(notes), open=True, key=key)

    @property
    def dom_id(self) -> str:
        return f"notes-{self.pk}" if self.kind == "paragraph" else f"link-notes-{self.pk}"

    @property
    def form_slot_id(self) -> str:
        return f"{self.dom_id}-form"

    @property
    def list_url(self) -> str:
        if self.kind == "link":
            return reverse("link_annotations", args=[self.key, self.pk])
        return reverse("paragraph_annotations", args=[self.pk])

    @property
    def new_url(self) -> str:
        query = f"{self.kind}={self.pk}" + (f"&comparison={self.key}" if self.key else "")
        return f"{reverse('annotation_new')}?{query}"

    @property
    def key_query(self) -> str:
        """What a note's own URLs (edit, delete, hide) add to show the key was given."""
        return f"?comparison={self.key}" if self.key else ""

    @property
    def spans_json(self) -> str:
        """The passages of the notes shown, for annotate.js to mark after an htmx swap."""
        spans = [[n.start, n.end] for n in self.notes if n.start is not None and n.end]
        return json.dumps(spans)
