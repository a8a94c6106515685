from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils.html import escape

from statements.markup import render_markdown
from statements.models import Annotation, Visibility
from statements.text import Segment, highlight, mark_notes

from .conftest import make_statement
from .notes_helpers import HX, client_for, make_link, make_note, make_user

pytestmark = pytest.mark.django_db

TEXT = (
    "Nous condamnons fermement les prétendus référendums organisés par la Russie dans les "
    "régions de Donetsk, Louhansk, Zaporijjia et Kherson, en Ukraine."
)


@pytest.fixture
def statement():
    return make_statement(paragraphs=[TEXT, "Ces simulacres de scrutin n'ont aucune légitimité."])


@pytest.fixture
def paragraph(statement):
    return statement.paragraphs.get(position=1)


@pytest.fixture
def reader(db):
    return make_user("reader")


# --- Rendering --------------------------------------------------------------------------------


def test_markdown_renders_emphasis_lists_quotes_code_and_links_that_do_not_follow():
    html = render_markdown(
        "*framing* and **claim**\n\n- one\n- two\n\n> quoted\n\n`code` [source](https://nato.int)"
    )
    assert "<em>framing</em>" in html and "<strong>claim</strong>" in html
    assert "<ul>\n<li>one</li>" in html
    assert "<blockquote>" in html and "<code>code</code>" in html
    assert '<a href="https://nato.int" rel="nofollow noopener noreferrer">source</a>' in html


def test_raw_html_in_a_note_is_shown_as_text_not_passed_through():
    html = render_markdown("Voir <b>ceci</b> <script>alert(1)</script>")
    assert "<b>" not in html and "<script>" not in html
    assert "&lt;b&gt;ceci&lt;/b&gt;" in html


def test_mark_notes_cuts_segments_at_passages_and_keeps_quotes_and_terms():
    segments = highlight("abcdefghij", [(2, 5)], [(6, 8, "k")])
    marked = mark_notes(segments, [(1, 3), (4, 7)])
    assert "".join(s.text for s in marked) == "abcdefghij"
    assert [(s.text, s.quote, s.term, s.note) for s in marked] == [
        ("a", False, "", False),
        ("b", False, "", True),
        ("c", True, "", True),
        ("d", True, "", False),
        ("e", True, "", True),
        ("f", False, "", True),
        ("g", False, "k", True),
        ("h", False, "k", False),
        ("ij", False, "", False),
    ]


def test_overlapping_passages_make_one_marked_run():
    marked = mark_notes([Segment("hello world")], [(0, 3), (2, 5)])
    assert [(s.text, s.note) for s in marked] == [("hello", True), (" world", False)]


# --- Creating ---------------------------------------------------------------------------------


def test_the_annotate_form_opens_inline_with_htmx_and_as_a_page_without(reader, paragraph):
    client = client_for(reader)
    url = f"/annotations/new/?paragraph={paragraph.pk}&start=5&end=15&exact=condamnons"
    page = client.get(url)
    partial = client.get(url, headers=HX)
    assert page.status_code == partial.status_code == 200
    body = page.content.decode()
    assert "<html" in body and "Annotate paragraph 1" in body and escape(TEXT) in body
    assert 'hx-post="/annotations/new/"' not in body  # a plain form: it posts, then redirects
    fragment = partial.content.decode()
    assert "<html" not in fragment and fragment.strip().startswith("<form")
    assert 'hx-post="/annotations/new/"' in fragment
    assert ">\ncondamnons</textarea>" in fragment
    assert 'name="start" value="5"' in fragment


def test_a_reader_annotates_a_passage_in_place_and_gets_the_notes_back_open(reader, paragraph):
    start = TEXT.index("Donetsk, Louhansk")
    end = start + len("Donetsk, Louhansk")
    response = client_for(reader).post(
        "/annotations/new/",
        {
            "paragraph": paragraph.pk,
            "exact": "Donetsk, Louhansk",
            "start": start,
            "end": end,
            "body": "Regions *claimed* by the vote.",
            "tags": ["framing", "claim"],
            "visibility": "public",
        },
        headers=HX,
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#notes-{paragraph.pk}"
    assert response["HX-Reswap"] == "outerHTML"
    fragment = response.content.decode()
    assert fragment.startswith(f'<div class="notes notes-open" id="notes-{paragraph.pk}"')
    assert "1 note" in fragment and "<em>claimed</em>" in fragment
    assert f'data-note-spans="[[{start}, {end}]]"' in fragment
    note = Annotation.objects.get()
    assert (note.author, note.paragraph, note.visibility) == (reader, paragraph, "public")
    assert note.tags == ["claim", "framing"]
    assert (note.exact, note.start, note.end) == ("Donetsk, Louhansk", start, end)
    assert note.prefix == "r la Russie dans les régions de "
    assert note.suffix == ", Zaporijjia et Kherson, en Ukra"


def test_a_passage_typed_without_offsets_is_found_in_the_paragraph(reader, paragraph):
    client_for(reader).post(
        "/annotations/new/",
        {
            "paragraph": paragraph.pk,
            "exact": "Kherson",
            "body": "Occupied.",
            "visibility": "public",
        },
    )
    note = Annotation.objects.get()
    assert (note.start, note.end) == (TEXT.index("Kherson"), TEXT.index("Kherson") + 7)
    assert note.suffix == ", en Ukraine."


def test_annotating_without_javascript_goes_to_the_paragraphs_notes(reader, paragraph):
    client = client_for(reader)
    response = client.post(
        "/annotations/new/",
        {"paragraph": paragraph.pk, "body": "Whole paragraph.", "visibility": "private"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/paragraphs/{paragraph.pk}/notes/"
    page = client.get(response["Location"]).content.decode()
    assert "Your note is saved." in page
    assert "Whole paragraph." in page and "private" in page
    assert Annotation.objects.get().start is None


def test_signed_out_readers_are_asked_to_sign_in_to_annotate(client, paragraph):
    page = client.get(paragraph.statement.get_absolute_url()).content.decode()
    assert (
        f'href="/accounts/login/?next=/annotations/new/%3Fparagraph%3D{paragraph.pk}"'
        ">Sign in to annotate" in page
    )
    response = client.get(f"/annotations/new/?paragraph={paragraph.pk}")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/annotations/new/")
    assert client.post("/annotations/new/", {"paragraph": paragraph.pk, "body": "x"}).status_code
    assert not Annotation.objects.exists()


@pytest.mark.parametrize("query", ["paragraph=abc", "", "paragraph=1&link=1", "link=x"])
def test_a_note_about_nothing_is_a_bad_request(reader, paragraph, query):
    response = client_for(reader).get(f"/annotations/new/?{query}")
    assert response.status_code == 400


def test_a_note_on_an_unknown_paragraph_is_not_found(reader, paragraph):
    assert client_for(reader).get("/annotations/new/?paragraph=999999").status_code == 404


# --- Showing ----------------------------------------------------------------------------------


def test_the_statement_page_marks_noted_passages_and_counts_each_paragraphs_notes(
    client, reader, paragraph
):
    make_note(reader, paragraph, passage="Donetsk, Louhansk")
    make_note(reader, paragraph, body="General remark.")
    page = client.get(paragraph.statement.get_absolute_url()).content.decode()
    assert '<mark class="note">Donetsk, Louhansk</mark>' in page
    assert f'data-paragraph-id="{paragraph.pk}" data-paragraph-text>' in page
    assert f'hx-get="/paragraphs/{paragraph.pk}/notes/"' in page
    assert ">2 notes</a>" in page
    assert "General remark." not in page  # bodies open on demand


def test_a_paragraphs_notes_open_in_place_with_htmx_and_as_a_page_without(
    client, reader, paragraph
):
    make_note(reader, paragraph, body="**Sham** votes.", passage="référendums")
    url = f"/paragraphs/{paragraph.pk}/notes/"
    page = client.get(url).content.decode()
    fragment = client.get(url, headers=HX).content.decode()
    assert "<html" in page and "Notes on paragraph 1" in page
    assert '<mark class="note">référendums</mark>' in page
    assert "<html" not in fragment
    assert fragment.startswith(f'<div class="notes notes-open" id="notes-{paragraph.pk}"')
    for html in (page, fragment):
        assert "<strong>Sham</strong> votes." in html
        assert '<blockquote class="note-passage">référendums</blockquote>' in html
        assert "reader" in html


def test_the_compare_view_marks_passages_and_counts_notes_on_both_sides(client, reader):
    left = make_statement(paragraphs=[TEXT])
    right = make_statement(paragraphs=["Les référendums de Donetsk et Louhansk sont légitimes."])
    make_note(reader, left.paragraphs.get(), passage="Zaporijjia")
    make_note(reader, right.paragraphs.get(), passage="légitimes")
    make_note(reader, right.paragraphs.get(), body="Second.")
    url = f"/compare/{left.slug}/{right.slug}/"
    page = client.get(url).content.decode()
    columns = client.get(url, headers=HX).content.decode()
    assert "<html" in page and "<html" not in columns
    for html in (page, columns):
        assert '<mark class="note">Zaporijjia</mark>' in html
        assert '<mark class="note">légitimes</mark>' in html
        assert ">1 note</a>" in html and ">2 notes</a>" in html


def test_a_notes_own_url_opens_it_in_its_paragraphs_notes(client, reader, paragraph):
    note = make_note(reader, paragraph, body="Here.")
    response = client.get(f"/annotations/{note.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/paragraphs/{paragraph.pk}/notes/#note-{note.pk}"
    fragment = client.get(f"/annotations/{note.pk}/", headers=HX).content.decode()
    assert fragment.startswith(f'<article class="note" id="note-{note.pk}"') and "Here." in fragment


# --- Editing and deleting ---------------------------------------------------------------------


def test_the_author_edits_a_note_in_place(reader, paragraph):
    note = make_note(reader, paragraph, body="First draft.", passage="Kherson")
    client = client_for(reader)
    form = client.get(f"/annotations/{note.pk}/edit/", headers=HX).content.decode()
    assert form.strip().startswith("<form") and "First draft." in form and "Kherson" in form
    page = client.get(f"/annotations/{note.pk}/edit/").content.decode()
    assert "<html" in page and "Edit your note" in page
    response = client.post(
        f"/annotations/{note.pk}/edit/",
        {
            "exact": "Kherson",
            "start": note.start,
            "end": note.end,
            "body": "Second draft.",
            "tags": ["context"],
            "visibility": "public",
        },
        headers=HX,
    )
    assert response["HX-Retarget"] == f"#notes-{paragraph.pk}"
    assert "Second draft." in response.content.decode()
    note.refresh_from_db()
    assert (note.body, note.tags, note.exact) == ("Second draft.", ["context"], "Kherson")


def test_editing_a_notes_passage_keeps_it_moves_it_or_clears_it(reader):
    text = "La Russie dit oui. La Russie dit non."
    paragraph = make_statement(paragraphs=[text]).paragraphs.get()
    second = text.rindex("La Russie")
    note = make_note(reader, paragraph, exact="La Russie", start=second, end=second + 9)
    client = client_for(reader)
    form = client.get(f"/annotations/{note.pk}/edit/", headers=HX).content.decode()
    assert 'name="start"' not in form  # the place comes from a selection, not from the form

    def edit(passage: str) -> Annotation:
        data = {"exact": passage, "body": "Edited.", "visibility": "public"}
        client.post(f"/annotations/{note.pk}/edit/", data)
        note.refresh_from_db()
        return note

    assert (edit("La Russie").start, note.end) == (second, second + 9)  # the second one still
    assert (edit("dit non").exact, note.start, note.suffix) == ("dit non", 29, ".")
    assert (edit("").exact, note.start, note.end, note.prefix) == ("", None, None, "")


def test_editing_without_javascript_goes_back_to_the_notes(reader, paragraph):
    note = make_note(reader, paragraph, body="First draft.")
    response = client_for(reader).post(
        f"/annotations/{note.pk}/edit/", {"body": "Plain post.", "visibility": "private"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/paragraphs/{paragraph.pk}/notes/"
    note.refresh_from_db()
    assert (note.body, note.visibility) == ("Plain post.", "private")


def test_the_author_deletes_a_note_in_place_and_without_javascript(reader, paragraph):
    first, second = make_note(reader, paragraph), make_note(reader, paragraph, body="Keep me.")
    client = client_for(reader)
    response = client.post(f"/annotations/{first.pk}/delete/", headers=HX)
    assert response["HX-Retarget"] == f"#notes-{paragraph.pk}"
    fragment = response.content.decode()
    assert "1 note" in fragment and "Keep me." in fragment
    response = client.post(f"/annotations/{second.pk}/delete/")
    assert response["Location"] == f"/paragraphs/{paragraph.pk}/notes/"
    assert not Annotation.objects.exists()
    assert "No notes yet." in client.get(response["Location"]).content.decode()


def test_deleting_needs_a_post(reader, paragraph):
    note = make_note(reader, paragraph)
    assert client_for(reader).get(f"/annotations/{note.pk}/delete/").status_code == 405
    assert Annotation.objects.filter(pk=note.pk).exists()


# --- Notes on links ---------------------------------------------------------------------------


def test_a_reader_annotates_a_link_of_a_shared_comparison(reader):
    left, right = make_statement(paragraphs=[TEXT]), make_statement(paragraphs=["Autre texte."])
    link = make_link(left, right, owner=make_user("curator"))
    client = client_for(reader)
    key = link.comparison.key
    form = client.get(f"/annotations/new/?link={link.pk}&comparison={key}", headers=HX)
    form = form.content.decode()
    assert 'name="link"' in form and 'name="exact"' not in form
    assert f'name="comparison" value="{key}"' in form
    response = client.post(
        "/annotations/new/",
        {"link": link.pk, "comparison": key, "body": "RT *reframes* NATO.", "visibility": "public"},
        headers=HX,
    )
    assert response["HX-Retarget"] == f"#link-notes-{link.pk}"
    note = Annotation.objects.get()
    assert (note.link, note.paragraph) == (link, None)
    page = client.get(f"/c/{key}/links/{link.pk}/notes/").content.decode()
    fragment = client.get(f"/c/{key}/links/{link.pk}/notes/", headers=HX).content.decode()
    assert "<html" in page and "Autre texte." in page and "¶1 ↔ ¶1" in page
    assert fragment.startswith(f'<div class="notes notes-open" id="link-notes-{link.pk}"')
    for html in (page, fragment):
        assert "RT <em>reframes</em> NATO." in html


def test_a_note_on_a_link_cannot_quote_a_passage(reader):
    link = make_link(make_statement(paragraphs=[TEXT]), make_statement(), owner=reader)
    data = {"link": link.pk, "body": "x", "exact": "Nous", "visibility": "public"}
    data["comparison"] = link.comparison.key
    response = client_for(reader).post("/annotations/new/", data)
    assert response.status_code == 400
    assert "A note on a link is about both paragraphs" in response.content.decode()
    assert not Annotation.objects.exists()


def test_links_of_a_private_comparison_are_not_found_by_others(reader):
    owner = make_user("owner")
    link = make_link(make_statement(), make_statement(), owner=owner, visibility=Visibility.PRIVATE)
    key = link.comparison.key
    new_url = f"/annotations/new/?link={link.pk}&comparison={key}"
    assert client_for(reader).get(new_url).status_code == 404
    assert client_for(reader).get(f"/c/{key}/links/{link.pk}/notes/").status_code == 404
    assert client_for(owner).get(f"/c/{key}/links/{link.pk}/notes/").status_code == 200


# --- Queries ----------------------------------------------------------------------------------


def test_statement_page_queries_stay_bounded_however_many_notes(
    client, django_assert_max_num_queries
):
    statement = make_statement(paragraphs=40)
    authors = [make_user(f"author{i}") for i in range(5)]
    for paragraph in statement.paragraphs.all():
        for author in authors:
            make_note(author, paragraph, passage="Paragraphe")
            make_note(author, paragraph, visibility="private")
    signed_in = client_for(authors[0])
    with django_assert_max_num_queries(10):
        page = client.get(statement.get_absolute_url()).content.decode()
    assert page.count(">5 notes</a>") == 40
    with django_assert_max_num_queries(12):
        page = signed_in.get(statement.get_absolute_url()).content.decode()
    assert page.count(">6 notes</a>") == 40


def test_compare_and_notes_page_queries_stay_bounded(client, django_assert_max_num_queries):
    left, right = make_statement(paragraphs=20), make_statement(paragraphs=20)
    reader = make_user("busy")
    for paragraph in [*left.paragraphs.all(), *right.paragraphs.all()]:
        for _ in range(4):
            make_note(reader, paragraph, passage="sécurité")
    with django_assert_max_num_queries(15):
        page = client.get(f"/compare/{left.slug}/{right.slug}/").content.decode()
    assert page.count(">4 notes</a>") == 40
    paragraph = left.paragraphs.first()
    with django_assert_max_num_queries(6):
        page = client.get(f"/paragraphs/{paragraph.pk}/notes/").content.decode()
    assert page.count('<article class="note"') == 4


def test_a_saved_comparisons_template_can_show_a_links_notes_area(reader):
    link = make_link(make_statement(), make_statement(), owner=reader)
    make_note(reader, link=link, body="On the pair.")
    template = Template(
        '{% load notes %}{% notes_region link notes_by_link|notes_for:link.pk "link" %}'
    )
    notes_by_link = {link.pk: list(link.annotations.all())}
    html = template.render(Context({"link": link, "notes_by_link": notes_by_link, "user": reader}))
    assert f'id="link-notes-{link.pk}"' in html
    key = link.comparison.key
    assert f'href="/c/{key}/links/{link.pk}/notes/"' in html and ">1 note</a>" in html
    assert f'hx-get="/annotations/new/?link={link.pk}&amp;comparison={key}"' in html
