from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from statements.models import Annotation, Paragraph

from ..notes_helpers import make_note, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Select [start, end) (UTF-16 offsets into the paragraph's text) across whatever elements
# mark it, as a reader dragging the mouse would, then release the mouse.
SELECT_JS = """
([id, start, end]) => {
  const root = document.querySelector(`[data-paragraph-id="${id}"][data-paragraph-text]`);
  root.scrollIntoView({block: "center"});
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  let offset = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const next = offset + node.length;
    if (offset <= start && start < next) range.setStart(node, start - offset);
    if (offset < end && end <= next) range.setEnd(node, end - offset);
    offset = next;
  }
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  root.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
}
"""


def sign_in(page, live_server, user) -> None:
    """Sign in as `user` by handing the browser a session made by Django's test client."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )


def body_paragraph(statement, min_length: int = 80) -> Paragraph:
    return next(p for p in statement.paragraphs.filter(kind="body") if len(p.text) >= min_length)


def annotate_selection(page, paragraph: Paragraph, start: int, end: int, note: str) -> None:
    page.evaluate(SELECT_JS, [paragraph.pk, start, end])
    region = page.locator(f"#notes-{paragraph.pk}")
    region.get_by_role("button", name="Annotate selection").click()
    form = region.locator("form.note-form")
    form.get_by_label("Note (Markdown)").fill(note)
    form.get_by_label("Public").check()
    form.get_by_role("button", name="Save note").click()
    page.locator(f"#notes-{paragraph.pk}.notes-open").wait_for()


def test_a_reader_selects_a_phrase_annotates_it_and_sees_it_marked(live_server, page, seeded):
    sign_in(page, live_server, make_user("reader"))
    statement = seeded["000"]
    paragraph = body_paragraph(statement)
    words = paragraph.text.split()
    phrase = " ".join(words[2:6])
    start = paragraph.text.index(phrase)
    page.goto(f"{live_server.url}{statement.get_absolute_url()}")

    annotate_selection(page, paragraph, start, start + len(phrase), "A *framing* choice.")

    region = page.locator(f"#notes-{paragraph.pk}")
    assert region.locator(".notes-count").inner_text() == "1 note"
    assert region.locator(".note-body em").inner_text() == "framing"
    marks = page.locator(f'[data-paragraph-id="{paragraph.pk}"] mark.note')
    assert marks.count() == 1 and marks.first.inner_text() == phrase
    note = Annotation.objects.get()
    assert (note.exact, note.start, note.end) == (phrase, start, start + len(phrase))
    assert note.visibility == "public"

    page.reload()
    assert page.locator(f'[data-paragraph-id="{paragraph.pk}"] mark.note').inner_text() == phrase
    assert page.locator(f"#notes-{paragraph.pk} .notes-count").inner_text() == "1 note"
    assert page.errors == []


def test_a_reader_annotates_a_phrase_in_the_compare_view(live_server, page, seeded):
    sign_in(page, live_server, make_user("comparer"))
    left, right = seeded["000"], seeded["001"]
    page.goto(f"{live_server.url}/compare/{left.slug}/{right.slug}/")
    cell_text = page.locator(".cell-r [data-paragraph-id]").first
    paragraph = Paragraph.objects.get(pk=cell_text.get_attribute("data-paragraph-id"))
    end = min(len(paragraph.text), 40)

    annotate_selection(page, paragraph, 0, end, "Opening words.")

    marked = page.locator(f'[data-paragraph-id="{paragraph.pk}"] mark.note')
    assert "".join(marked.all_inner_texts()) == paragraph.text[:end]
    assert Annotation.objects.get().exact == paragraph.text[:end]
    assert page.errors == []


def test_script_in_notes_does_not_run(live_server, page, seeded):
    author = make_user("mischief")
    paragraph = body_paragraph(seeded["000"])
    payloads = [
        "<script>window.__xss = 1</script>",
        '<img src=x onerror="window.__xss=1">',
        "<svg onload=window.__xss=1>",
        "[click](javascript:window.__xss=1)",
        '"><script>window.__xss = 1</script>',
    ]
    for payload in payloads:
        make_note(author, paragraph, body=payload, passage=paragraph.text[:12])
    page.goto(f"{live_server.url}{paragraph.statement.get_absolute_url()}")
    page.locator(f"#notes-{paragraph.pk} a.notes-count").click()
    notes = page.locator(f"#notes-{paragraph.pk} article.note")
    notes.first.wait_for()
    assert notes.count() == len(payloads)
    assert "<script>window.__xss = 1</script>" in notes.first.inner_text()
    # A javascript: link is no link at all: its Markdown shows as text.
    assert page.locator(f"#notes-{paragraph.pk} .note-body a").count() == 0
    assert "[click](javascript:window.__xss=1)" in notes.nth(3).inner_text()
    page.goto(f"{live_server.url}/paragraphs/{paragraph.pk}/notes/")
    assert page.locator("article.note").count() == len(payloads)
    assert page.evaluate("window.__xss") is None
    assert page.errors == []
