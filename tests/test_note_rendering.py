"""Readers' Markdown is rendered once, when saved, with bounded work; pages show stored HTML."""

from __future__ import annotations

import pytest
from django.utils.html import escape

from statements import markup
from statements.models import Annotation, Comparison, Visibility

from .conftest import make_statement
from .notes_helpers import HX, client_for, dangerous_markup, make_note, make_user

pytestmark = pytest.mark.django_db

# What took a signed-up reader one note to take a worker down with python-markdown (30 s and
# a 500 on /paragraphs/<id>/notes/, growing with the square of the length).
BRACKETS = "[" * 10_000


@pytest.fixture
def paragraph():
    return make_statement(paragraphs=["Nous condamnons les référendums."]).paragraphs.get()


@pytest.fixture
def reader():
    return make_user("reader")


def test_the_worst_markdown_a_note_may_hold_renders_and_keeps_its_text():
    """Up to the bounds, any text renders (markdown-it is linear): the worst mixes of marks
    the bounds allow come back as their text, nothing lost."""
    allowed = markup.MAX_MARKS
    for marks in ("[", "![", "*_", "[a](", "a`", "<", "&#", "\\"):
        count = allowed // len(marks)
        source = marks * count + "x" * (markup.MAX_CHARS - len(marks) * count)
        html = markup.render_markdown(source)
        assert html.startswith("<p>") and html.count("x") >= source.count("x")
    nested = "> " * 8 + "deep"
    assert markup.render_markdown(nested).count("<blockquote>") == 8
    listed = "".join("  " * depth + "- item\n" for depth in range(8))
    assert markup.render_markdown(listed).count("item") == 8


def test_a_note_nested_deeper_than_can_be_shown_is_refused_not_cut():
    """markdown-it drops what lies past its nesting limit: such a note is refused whole."""
    for source in ("> " * 4000 + "deep", "".join("  " * d + "- item\n" for d in range(90))):
        with pytest.raises(markup.MarkupRefused, match="too deeply to be shown"):
            markup.render_markdown(source)


def test_a_note_of_ten_thousand_brackets_is_refused_with_the_reason():
    with pytest.raises(markup.MarkupRefused, match="10,000 Markdown marks .* at most 2,000"):
        markup.render_markdown(BRACKETS)
    with pytest.raises(markup.MarkupRefused, match="at most 10,000 characters long"):
        markup.render_markdown("a" * 10_001)


def test_posting_a_note_too_heavy_with_markup_is_refused_and_stores_nothing(reader, paragraph):
    client = client_for(reader)
    data = {"paragraph": paragraph.pk, "body": BRACKETS, "visibility": "public"}
    page = client.post("/annotations/new/", data)
    assert page.status_code == 400
    assert "10,000 Markdown marks" in page.content.decode()
    partial = client.post("/annotations/new/", data, headers=HX)
    assert partial.status_code == 200  # htmx swaps only 2xx: the message must reach the reader
    fragment = partial.content.decode()
    assert "<html" not in fragment and "10,000 Markdown marks" in fragment
    assert not Annotation.objects.exists()


def test_a_saved_note_stores_its_sanitised_html(reader, paragraph):
    client_for(reader).post(
        "/annotations/new/",
        {
            "paragraph": paragraph.pk,
            "body": "**Sham** votes <script>alert(1)</script> [x](javascript:alert(1))",
            "visibility": "public",
        },
    )
    note = Annotation.objects.get()
    assert note.body_html.startswith("<p><strong>Sham</strong> votes &lt;script&gt;")
    assert dangerous_markup(note.body_html) == []


def test_pages_show_the_stored_html_and_render_nothing_on_a_read(
    client, reader, paragraph, monkeypatch
):
    note = make_note(reader, paragraph, body="**Sham** votes.")

    def no_rendering(*args, **kwargs):
        raise AssertionError("Markdown rendered on a read")

    monkeypatch.setattr(markup, "render_markdown", no_rendering)
    monkeypatch.setattr(markup._MARKDOWN, "render", no_rendering)
    for headers in ({}, HX):
        response = client.get(f"/paragraphs/{paragraph.pk}/notes/", headers=headers)
        assert response.status_code == 200
        assert "<strong>Sham</strong> votes." in response.content.decode()
    detail = client.get(f"/annotations/{note.pk}/", headers=HX)
    assert "<strong>Sham</strong> votes." in detail.content.decode()


def test_posting_a_note_nested_too_deep_is_refused_with_the_reason(reader, paragraph):
    data = {"paragraph": paragraph.pk, "body": "> " * 40 + "deep", "visibility": "public"}
    page = client_for(reader).post("/annotations/new/", data)
    assert page.status_code == 400
    assert "too deeply to be shown" in page.content.decode()
    assert not Annotation.objects.exists()


def test_editing_a_note_renders_its_new_body(reader, paragraph):
    note = make_note(reader, paragraph, body="First.")
    client_for(reader).post(
        f"/annotations/{note.pk}/edit/", {"body": "*Second*.", "visibility": "public"}
    )
    note.refresh_from_db()
    assert note.body == "*Second*." and note.body_html == "<p><em>Second</em>.</p>\n"


# --- The saved comparison's own note -------------------------------------------------------


@pytest.fixture
def saved(reader):
    left, right = make_statement(paragraphs=2), make_statement(paragraphs=2)
    comparison = Comparison(left=left, right=right, owner=reader, title="Deux textes")
    comparison.visibility = Visibility.UNLISTED
    comparison.set_note("Plain")
    comparison.save()
    return comparison


def test_a_comparisons_note_is_shown_as_markdown_made_safe(reader, saved):
    response = client_for(reader).post(
        f"/c/{saved.key}/edit/",
        {
            "title": "Deux textes",
            "note": "The *sham* vote <img src=x onerror=alert(1)> [more](https://nato.int)",
            "visibility": "unlisted",
        },
    )
    assert response.status_code == 302
    page = client_for(None).get(saved.get_absolute_url()).content.decode()
    assert "The <em>sham</em> vote &lt;img src=x onerror=alert(1)&gt;" in page
    assert '<a href="https://nato.int" rel="nofollow noopener noreferrer">more</a>' in page
    note = page[page.index("comparison-note") :][:400]
    assert dangerous_markup(note) == []


def test_a_comparisons_note_too_heavy_with_markup_is_refused(reader, saved):
    response = client_for(reader).post(
        f"/c/{saved.key}/edit/",
        {"title": "Deux textes", "note": "*" * 3000, "visibility": "unlisted"},
    )
    assert response.status_code == 400
    assert "3,000 Markdown marks" in response.content.decode()
    saved.refresh_from_db()
    assert (saved.note, saved.note_html) == ("Plain", "<p>Plain</p>\n")


def test_saving_a_comparison_with_a_note_too_heavy_saves_nothing_and_says_why(reader):
    left, right = make_statement(paragraphs=2), make_statement(paragraphs=2)
    client = client_for(reader)
    response = client.post(
        f"/compare/{left.slug}/{right.slug}/save/",
        {"title": "Deux", "note": "_" * 2500, "visibility": "public"},
        follow=True,
    )
    assert response.status_code == 200
    assert escape("The comparison was not saved: This note has 2,500") in (
        response.content.decode()
    )
    assert not Comparison.objects.exists()
    client.post(
        f"/compare/{left.slug}/{right.slug}/save/",
        {"title": "Deux", "note": "**Why** it matters", "visibility": "public"},
    )
    assert Comparison.objects.get().note_html == "<p><strong>Why</strong> it matters</p>\n"
