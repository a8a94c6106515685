from __future__ import annotations

import io
import json
import re

import pytest
from django.core.management import CommandError, call_command

from statements.alignment import DEFAULT_THRESHOLD, ENGINE_VERSION, LOWEST_THRESHOLD
from statements.models import Comparison, Paragraph, Statement

from .compare_page import read_compare_page
from .conftest import make_source, make_statement, run_queued

pytestmark = pytest.mark.django_db


def paragraph_with(statement: Statement, words: str) -> Paragraph:
    return next(p for p in statement.paragraphs.all() if words in p.text)


def test_compare_page_shows_both_statements_with_sources_kinds_and_dates(client, seeded):
    left, right = seeded["000"], seeded["001"]
    page = client.get(f"/compare/{left.slug}/{right.slug}/").content.decode()
    assert "NATO" in page and "RT (attributed)" in page
    assert "Official" in page and "State media" in page
    assert "22 September 2022" in page and "September 2022" in page
    shown = read_compare_page(page)
    body = {
        side: [p.position for p in statement.paragraphs.all() if p.kind in ("body", "quote")]
        for side, statement in (("l", left), ("r", right))
    }
    assert shown.columns == body  # each text whole, in its own order
    assert shown.pairs() and shown.marked("omitted") and shown.marked("added")


def test_the_fake_referendums_paragraph_is_linked_to_the_fictitious_referendums_one(client, seeded):
    left, right = seeded["000"], seeded["001"]
    nato = paragraph_with(left, "Les faux référendums organisés dans les régions")
    rt = paragraph_with(right, "Les référendums fictifs n’ont aucune légitimité")
    document = client.get(f"/compare/{left.slug}/{right.slug}.json").json()
    pairs = {(link["left"], link["right"]) for link in document["links"]}
    assert (nato.position, rt.position) in pairs
    page = read_compare_page(client.get(f"/compare/{left.slug}/{right.slug}/").content.decode())
    chip = next(c for c in page.chips[f"l{nato.position}"] if c.right == rt.position)
    assert chip.href == f"#pair-l{nato.position}-r{rt.position}"
    assert page.card_links[chip.href[1:]] == (
        f"/compare/{left.slug}/{right.slug}/pairs/{nato.position}-{rt.position}/"
    )
    assert chip.relation in chip.text and f"¶{rt.position}" in chip.text
    assert chip.href in [c.href for c in page.chips[f"r{rt.position}"]]  # listed on both sides


def test_the_gravest_threat_paragraphs_of_the_two_nato_texts_are_linked(client, seeded):
    left, right = seeded["002"], seeded["004"]
    summit = paragraph_with(
        left, "la menace la plus grave qui pèse sur la sécurité euro-atlantique"
    )
    news = paragraph_with(right, "la plus grave menace pour la sécurité euro-atlantique")
    document = client.get(f"/compare/{left.slug}/{right.slug}.json").json()
    link = next(
        link
        for link in document["links"]
        if (link["left"], link["right"]) == (summit.position, news.position)
    )
    # Both are NATO's texts: the same claim in NATO's own words restates it (the development
    # set's label); the shared wording is still listed.
    assert link["relation"] == "restates"
    quote = link["quotes"][0]
    assert summit.text[quote["left_start"] : quote["left_end"]] == quote["text"]
    assert "sécurité euro-atlantique depuis des décennies" in quote["text"]
    assert (
        "sécurité euro-atlantique depuis des décennies"
        in news.text[quote["right_start"] : quote["right_end"]]
    )


def test_shared_quotes_are_highlighted_in_both_columns(client, seeded):
    left, right = seeded["002"], seeded["004"]
    page = client.get(f"/compare/{left.slug}/{right.slug}/").content.decode()
    cells = re.findall(r'class="cell cell-([lr])\b(.*?)(?=class="cell cell-|\Z)', page, re.S)
    quoted = {side for side, cell in cells if '<mark class="quote">' in cell}
    assert quoted == {"l", "r"}


def test_boilerplate_never_pairs_and_is_hidden_until_asked(client, seeded):
    left, right = seeded["002"], seeded["004"]
    document = client.get(f"/compare/{left.slug}/{right.slug}.json").json()
    kinds = {p["position"]: p["kind"] for p in document["left"]["paragraphs"]}
    assert all(kinds[link["left"]] in ("body", "quote") for link in document["links"])
    boilerplate = left.paragraphs.filter(kind="boilerplate").first()
    default = client.get(f"/compare/{left.slug}/{right.slug}/").content.decode()
    shown = client.get(f"/compare/{left.slug}/{right.slug}/", {"all": "on"}).content.decode()
    assert f'id="l{boilerplate.position}"' not in default
    assert f'id="l{boilerplate.position}"' in shown


def test_options_partial_comes_back_alone_for_htmx(client, seeded):
    left, right = seeded["000"], seeded["003"]
    url = f"/compare/{left.slug}/{right.slug}/"
    full = client.get(url, {"threshold": "0.3"}).content.decode()
    partial = client.get(url, {"threshold": "0.3"}, headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert "<html" in full and "threshold 0.3" in full
    assert body.strip().startswith('<section id="columns"') and "<html" not in body
    assert "threshold 0.3" in body


def test_a_higher_threshold_suggests_fewer_links(client, seeded):
    left, right = seeded["001"], seeded["003"]
    url = f"/compare/{left.slug}/{right.slug}.json"
    loose = client.get(url, {"threshold": f"{LOWEST_THRESHOLD:g}"}).json()
    strict = client.get(url, {"threshold": "0.8"}).json()
    assert len(strict["links"]) < len(loose["links"])


def test_swapping_sides_mirrors_the_links(client, seeded):
    left, right = seeded["000"], seeded["001"]
    forward = client.get(f"/compare/{left.slug}/{right.slug}.json").json()
    backward = client.get(f"/compare/{right.slug}/{left.slug}.json").json()
    assert forward["omissions"] == backward["additions"]
    page = client.get(f"/compare/{left.slug}/{right.slug}/").content.decode()
    assert f'href="/compare/{right.slug}/{left.slug}/"' in page


def test_json_has_the_documented_shape(client, seeded):
    left, right = seeded["000"], seeded["001"]
    document = client.get(f"/compare/{left.slug}/{right.slug}.json").json()
    assert document["engine"] == ENGINE_VERSION
    assert {"slug", "title", "source", "language", "paragraphs"} <= set(document["left"])
    assert {"position", "kind", "text"} <= set(document["left"]["paragraphs"][0])
    link = document["links"][0]
    assert set(link) == {
        "left",
        "right",
        "score",
        "confidence",
        "relation",
        "basis",
        "reasons",
        "evidence",
        "quotes",
    }
    assert link["confidence"] >= DEFAULT_THRESHOLD
    assert link["basis"] == "words"
    assert document["multilingual"]["cross_language"] is False
    assert set(document["distinctive"]) == {"left", "right"}
    assert all({"term", "z"} == set(t) for t in document["distinctive"]["left"])


def test_distinctive_terms_are_listed_and_highlightable(client, seeded):
    # The NATO summit declaration and the blog post: words stand out on both sides.
    left, right = seeded["002"], seeded["003"]
    page = client.get(f"/compare/{left.slug}/{right.slug}/").content.decode()
    terms_l = page.split('class="terms terms-l"')[1].split('class="terms terms-r"')[0]
    terms_r = page.split('class="terms terms-r"')[1].split("</section>")[0]
    assert terms_l.count('class="term-toggle"') >= 1
    assert terms_r.count('class="term-toggle"') >= 1
    assert "No word stands out" not in page
    key = page.split('class="term-toggle" data-term="')[1].split('"')[0]
    assert f'<span class="term" data-term="{key}">' in page


def test_comparing_a_statement_with_itself_says_so(client, seeded):
    slug = seeded["000"].slug
    response = client.get(f"/compare/{slug}/{slug}/")
    assert response.status_code == 400
    assert "Pick two different statements" in response.content.decode()


def test_comparing_a_statement_with_itself_is_refused_in_json_and_by_the_command_too(
    client, seeded
):
    slug = seeded["000"].slug
    response = client.get(f"/compare/{slug}/{slug}.json")
    assert response.status_code == 400
    assert "Pick two different statements" in response.json()["error"]
    with pytest.raises(CommandError, match="Pick two different statements"):
        call_command("align", slug, slug, stdout=io.StringIO())


def selected_threshold(page: str) -> str:
    menu = page.split('name="threshold"')[1].split("</select>")[0]
    return re.search(r'<option value="([^"]+)"[^>]*selected', menu).group(1)


def test_one_default_threshold_for_the_page_the_json_the_command_and_saved_comparisons(
    client, seeded
):
    left, right = seeded["000"], seeded["001"]
    page = client.get(f"/compare/{left.slug}/{right.slug}/").content.decode()
    assert f"threshold {DEFAULT_THRESHOLD}" in page
    assert selected_threshold(page) == f"{DEFAULT_THRESHOLD:g}"
    assert client.get(f"/compare/{left.slug}/{right.slug}.json").json()["threshold"] == (
        DEFAULT_THRESHOLD
    )
    out = io.StringIO()
    call_command("align", left.slug, right.slug, "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["threshold"] == DEFAULT_THRESHOLD
    assert Comparison().threshold == DEFAULT_THRESHOLD


def test_showing_titles_keeps_the_threshold_in_force(client, seeded):
    url = f"/compare/{seeded['000'].slug}/{seeded['001'].slug}/"
    page = client.get(url, {"all": "on"}).content.decode()
    assert selected_threshold(page) == f"{DEFAULT_THRESHOLD:g}"
    assert f"threshold {DEFAULT_THRESHOLD}" in page
    page = client.get(url, {"threshold": "0.3", "all": "on"}).content.decode()
    assert selected_threshold(page) == "0.3" and "threshold 0.3" in page


def test_an_unknown_threshold_falls_back_to_the_default_and_the_menu_says_so(client, seeded):
    url = f"/compare/{seeded['000'].slug}/{seeded['001'].slug}/"
    page = client.get(url, {"threshold": "0.33"}).content.decode()
    assert selected_threshold(page) == f"{DEFAULT_THRESHOLD:g}"
    assert f"threshold {DEFAULT_THRESHOLD}" in page


def test_unknown_slug_in_json_is_404(client, seeded):
    assert client.get(f"/compare/{seeded['000'].slug}/nope.json").status_code == 404


def test_align_command_prints_the_same_json(seeded):
    left, right = seeded["000"], seeded["001"]
    out = io.StringIO()
    call_command("align", left.slug, right.slug, "--format", "json", stdout=out)
    document = json.loads(out.getvalue())
    assert document["engine"] == ENGINE_VERSION
    assert document["left"]["slug"] == left.slug
    assert document["links"]


def test_align_command_text_format_is_readable(seeded):
    left, right = seeded["002"], seeded["004"]
    out = io.StringIO()
    call_command("align", left.slug, right.slug, "--threshold", "0.25", stdout=out)
    text = out.getvalue()
    assert "↔" in text and "threshold 0.25" in text and "omissions" in text
    assert "confidence " in text and "  why: " in text


def test_align_command_refuses_unknown_slugs_and_bad_thresholds(seeded):
    with pytest.raises(CommandError, match="No statement"):
        call_command("align", "nope", seeded["000"].slug)
    with pytest.raises(CommandError, match="between 0 and 1"):
        call_command("align", seeded["000"].slug, seeded["001"].slug, "--threshold", "2")


def test_compare_page_for_two_long_statements_stays_within_15_queries(
    client, django_assert_max_num_queries, django_capture_on_commit_callbacks, queued_tasks
):
    source = make_source()
    words = ["alliance", "sécurité", "soutien", "territoire", "référendum", "frontière"]
    texts = [" ".join(words[(i + j) % 6] for j in range(12)) + f" {i}." for i in range(1000)]
    left = make_statement(source=source, paragraphs=texts)
    right = make_statement(source=source, paragraphs=list(reversed(texts)))
    url = f"/compare/{left.slug}/{right.slug}/"
    # Too large to align on a request: the worker is asked to, and the page says so.
    with django_assert_max_num_queries(15), django_capture_on_commit_callbacks(execute=True):
        response = client.get(url)
    assert "Aligning…" in response.content.decode()
    assert [r.task.name for r in queued_tasks.results] == ["align_pair"]
    run_queued(queued_tasks)
    with django_assert_max_num_queries(15):
        response = client.get(url)
    page = read_compare_page(response.content.decode())
    assert page.columns == {"l": list(range(1, 1001)), "r": list(range(1, 1001))}
    with django_assert_max_num_queries(15):
        again = read_compare_page(client.get(url).content.decode())
    assert again == page
