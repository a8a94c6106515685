"""Helpers for the annotation tests: people, notes, saved-comparison links, HTML checks."""

from __future__ import annotations

from html.parser import HTMLParser

from django.contrib.auth import get_user_model
from django.test import Client

from statements.models import Annotation, Comparison, Link, Paragraph, Statement, Visibility

HX = {"HX-Request": "true"}
User = get_user_model()


def make_user(name: str, *, staff: bool = False):
    """A user with no password (tests sign in with force_login): hashing one is slow."""
    return User.objects.create_user(name, password=None, is_staff=staff)


def client_for(user, **options) -> Client:
    client = Client(**options)
    if user is not None:
        client.force_login(user)
    return client


def make_note(
    author,
    paragraph: Paragraph | None = None,
    *,
    link: Link | None = None,
    body: str = "A note.",
    visibility: str = Annotation.Visibility.PUBLIC,
    passage: str = "",
    **fields,
) -> Annotation:
    """A note stored directly; `passage` (words of the paragraph) becomes its selector."""
    if passage:
        start = paragraph.text.index(passage)
        end = start + len(passage)
        fields |= {
            "exact": passage,
            "start": start,
            "end": end,
            "prefix": paragraph.text[max(0, start - 32) : start],
            "suffix": paragraph.text[end : end + 32],
        }
    note = Annotation(
        author=author, paragraph=paragraph, link=link, visibility=visibility, **fields
    )
    note.set_body(body)  # as the form does: the HTML is rendered when the note is saved
    note.save()
    return note


def make_link(
    left: Statement, right: Statement, owner, visibility: str = Visibility.UNLISTED
) -> Link:
    """A saved comparison of `left` and `right` with one link between their first paragraphs."""
    comparison = Comparison.objects.create(
        left=left, right=right, owner=owner, title="Side by side", visibility=visibility
    )
    return Link.objects.create(
        comparison=comparison,
        left=left.paragraphs.first(),
        right=right.paragraphs.first(),
        relation=Link.Relation.REFRAMES,
        state=Link.State.CONFIRMED,
        origin="reader",
    )


class _Markup(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in {"img", "svg", "iframe", "object", "embed"}:
            self.found.append(f"<{tag}>")
        if tag == "script" and not dict(attrs).get("src", "").startswith("/static/"):
            self.found.append("<script> without our own src")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            if (tag, name) in {
                ("a", "href"),
                ("form", "action"),
                ("button", "formaction"),
            } and value:
                scheme = value.strip().lower().replace("\t", "").replace("\n", "")
                if scheme.startswith(("javascript:", "data:", "vbscript:")):
                    self.found.append(f"{tag} {name}={value}")
            if name == "style":
                self.found.append(f"{tag} style=")


def dangerous_markup(html: str) -> list[str]:
    """Elements and attributes through which a page could run someone else's code."""
    parser = _Markup()
    parser.feed(html)
    return parser.found
