"""The server-drawn SVG charts: an event's timeline and the diverging bars of distinctive terms."""

from __future__ import annotations

import datetime
import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.core.management import call_command

from statements import charts
from statements.framing import Term
from statements.models import Event, SourceVocabulary
from statements.services import comparing, imports, vocabulary

from .conftest import make_source, make_statement

SVG = "{http://www.w3.org/2000/svg}"


def svgs(page: str) -> list[ET.Element]:
    """Every inline <svg> of a page, parsed as XML (so it must be well-formed)."""
    return [ET.fromstring(markup) for markup in re.findall(r"<svg\b.*?</svg>", page, re.S)]


def chart(page: str, css_class: str) -> ET.Element:
    [found] = [svg for svg in svgs(page) if css_class in svg.get("class", "").split()]
    return found


def classes(element: ET.Element) -> set[str]:
    return set(element.get("class", "").split())


def mark_links(svg: ET.Element) -> list[ET.Element]:
    return [a for a in svg.iter(f"{SVG}a") if "mark-link" in classes(a)]


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def item(lane: str, start: str, end: str | None = None, title: str = "t") -> charts.TimelineItem:
    return charts.TimelineItem(
        lane, f"/sources/{lane}/", title, f"/s/{title}/", start, day(start), day(end or start)
    )


# --- Pure geometry ----------------------------------------------------------------------


def test_timeline_has_a_lane_per_source_and_a_mark_per_statement():
    drawn = charts.timeline(
        [item("b", "2022-09-22", title="x"), item("a", "2022-09-01", "2022-09-30", title="y")]
    )
    assert [lane.label for lane in drawn.lanes] == ["a", "b"]
    [band] = drawn.lanes[0].marks
    [mark] = drawn.lanes[1].marks
    assert band.is_span and not mark.is_span
    assert band.width > 20 * mark.width
    assert drawn.plot_left <= band.x < mark.x < band.x + band.width <= drawn.plot_right


def test_timeline_puts_overlapping_marks_of_a_lane_on_separate_rows():
    drawn = charts.timeline(
        [item("a", "2022-09-22", title="x"), item("a", "2022-09-22", title="y")],
    )
    first, second = drawn.lanes[0].marks
    assert first.x == second.x and first.y != second.y
    single = charts.timeline([item("a", "2022-09-22")])
    assert drawn.lanes[0].height > single.lanes[0].height


def test_timeline_spans_the_event_dates_and_picks_readable_ticks():
    drawn = charts.timeline(
        [item("a", "2022-09-22")], between=(day("2022-09-20"), day("2022-10-05"))
    )
    assert drawn.span is not None
    mark = drawn.lanes[0].marks[0]
    assert drawn.span.x < mark.x < drawn.span.x + drawn.span.width
    assert [tick.label for tick in drawn.ticks][:2] == ["20 Sep", "27 Sep"]
    long = charts.timeline([item("a", "2022-01-10"), item("b", "2022-12-20")])
    assert [tick.label for tick in long.ticks][:2] == ["Feb 2022", "Mar 2022"]
    years = charts.timeline([item("a", "2001-01-10"), item("b", "2022-12-20")])
    assert all(re.fullmatch(r"\d{4}", tick.label) for tick in years.ticks)
    assert len(years.ticks) <= 11
    assert charts.timeline([]) is None


def term(name: str, z: float) -> Term:
    return Term(name, name[:5], z, 3, 0, (name,))


def test_diverging_bars_go_left_and_right_from_the_centre_by_z():
    left = [term("territoires occupés", 4.0), term("agression", 2.0)]
    right = [term("territoires libérés", 3.0)]
    drawn = charts.diverging_bars(left, right)
    assert [bar.side for bar in drawn.bars] == ["l", "l", "r"]
    for bar in drawn.left:
        assert bar.x + bar.width == pytest.approx(drawn.center, abs=0.1)
        assert bar.label_x < bar.x and bar.anchor == "end"
    for bar in drawn.right:
        assert bar.x == drawn.center and bar.label_x > bar.x + bar.width
    occupied, aggression = drawn.left
    assert occupied.width == pytest.approx(2 * aggression.width, abs=0.2)
    assert drawn.right[0].width == pytest.approx(0.75 * occupied.width, abs=0.2)
    assert drawn.right[0].y == occupied.y  # rows pair the i-th term of each side


def test_diverging_bars_keep_the_top_terms_and_shorten_long_labels():
    drawn = charts.diverging_bars([term(f"mot {i} " * 8, 10 - i * 0.1) for i in range(20)], [])
    assert len(drawn.bars) == 12
    assert all(len(bar.label) <= charts.MAX_LABEL_CHARS for bar in drawn.bars)
    assert drawn.bars[0].term.startswith("mot 0")
    assert charts.diverging_bars([], []) is None


# --- Pages --------------------------------------------------------------------------------

pytestmark_db = pytest.mark.django_db


@pytestmark_db
def test_event_timeline_draws_a_lane_per_source_and_a_linked_mark_per_statement(client, seeded):
    event = Event.objects.get(slug="referendums-2022")
    statements = list(event.statements.select_related("source"))
    page = client.get(event.get_absolute_url()).content.decode()
    svg = chart(page, "timeline-chart")
    lanes = [g for g in svg.iter(f"{SVG}g") if "lane" in classes(g)]
    assert len(lanes) == len({s.source_id for s in statements}) == 3
    links = mark_links(svg)
    assert len(links) == len(statements)
    assert {a.get("href") for a in links} == {s.get_absolute_url() for s in statements}
    titles = {a.find(f"{SVG}title").text for a in links}
    assert all(any(t.startswith(s.title) for t in titles) for s in statements)
    widths = {}
    for a in links:
        rect = a.find(f"{SVG}rect")
        widths.setdefault("span" if "mark-span" in classes(rect) else "day", []).append(
            float(rect.get("width"))
        )
    # 001 is dated "2022-09": a band over the month, wider than the day marks of 000 and 003.
    assert len(widths["span"]) == 1 and len(widths["day"]) == 2
    assert widths["span"][0] > 10 * max(widths["day"])
    assert "style=" not in page.split("<main")[1]
    # The list stays below the chart.
    assert page.index("timeline-chart") < page.index('class="timeline"')


@pytestmark_db
def test_an_event_without_dated_statements_draws_no_timeline(client, db):
    event = Event.objects.create(name="Undated", slug="undated")
    make_statement(published_on=None, events=(event,))
    page = client.get(event.get_absolute_url()).content.decode()
    assert "timeline-chart" not in page
    assert "No dated statement" in page


@pytestmark_db
def test_two_clicks_on_an_event_page_compare_two_of_its_statements(client, seeded):
    event = Event.objects.get(slug="referendums-2022")
    left, right = seeded["000"], seeded["003"]
    page = client.get(event.get_absolute_url()).content.decode()
    first = f'href="?left={left.slug}#s-{left.slug}"'
    assert first in page  # click 1: "Compare with…" on the first statement
    page = client.get(event.get_absolute_url(), {"left": left.slug}).content.decode()
    second = f'href="/compare/{left.slug}/{right.slug}/"'
    assert second in page  # click 2: "Compare with the selected statement" on the other
    assert f'href="/compare/{left.slug}/{left.slug}/"' not in page
    assert client.get(f"/compare/{left.slug}/{right.slug}/").status_code == 200
    # An unknown slug selects nothing.
    page = client.get(event.get_absolute_url(), {"left": "nope"}).content.decode()
    assert "/compare/" not in page.split('class="timeline"')[1]


@pytestmark_db
def test_compare_view_charts_each_sides_terms_as_diverging_toggle_bars(client, seeded):
    left, right = seeded["000"], seeded["003"]
    result = comparing.compare_pair(comparing.load_pair(left.slug, right.slug))
    page = client.get(f"/compare/{left.slug}/{right.slug}/").content.decode()
    svg = chart(page, "terms-chart")
    bars = [a for a in svg.iter(f"{SVG}a") if "term-toggle" in classes(a)]
    expected = [("l", t) for t in result.framing.left[:12]] + [
        ("r", t) for t in result.framing.right[:12]
    ]
    assert expected, "the seeds have distinctive terms"
    assert len(bars) == len(expected)
    centre = float(svg.get("viewBox").split()[2]) / 2
    for a, (side, expected_term) in zip(bars, expected, strict=True):
        assert a.get("data-term") == expected_term.key
        assert a.get("role") == "button" and a.get("aria-pressed") == "false"
        assert a.find(f"{SVG}title").text.startswith(expected_term.term)
        rect = a.find(f"{SVG}rect")
        x, width = float(rect.get("x")), float(rect.get("width"))
        assert f"bar-{side}" in classes(rect)
        if side == "l":
            assert x + width == pytest.approx(centre, abs=0.2)
        else:
            assert x == pytest.approx(centre)
        # The term is shown as written, not as its stem.
        label = "".join(a.find(f"{SVG}text").itertext())
        assert expected_term.term[:20] in label and f"{expected_term.z:.1f}" in label
    # Every bar's term also has a button in the lists, which the same script toggles.
    for a in bars:
        assert f'class="term-toggle" data-term="{a.get("data-term")}"' in page


@pytestmark_db
def test_source_page_charts_its_vocabulary_against_all_other_sources(client, seeded):
    cache.clear()
    page = client.get("/sources/nato/").content.decode()
    svg = chart(page, "terms-chart")
    bars = [a for a in svg.iter(f"{SVG}a") if "chart-term" in classes(a)]
    assert bars
    left = [a for a in bars if "chart-term-l" in classes(a)]
    assert left and all("&source=nato" in a.get("href") for a in left)
    assert all(a.get("href").startswith("/search/?q=%22") for a in bars)
    sides = {t.text for t in svg.iter(f"{SVG}text") if "chart-side" in classes(t)}
    assert sides == {"← NATO", "All other sources →"}
    # The NATO texts say "Alliés"; the chart shows the word as written.
    labels = " ".join("".join(t.itertext()) for t in svg.iter(f"{SVG}text"))
    assert "Alliés" in labels or "alliés" in labels


@pytestmark_db
def test_source_vocabulary_is_stored_until_the_sources_statements_change(
    client, seeded, django_assert_max_num_queries
):
    cache.clear()
    source = seeded["000"].source
    first = vocabulary.source_framing(source)
    with django_assert_max_num_queries(2):  # the stored row, and the corpus size it needs
        assert vocabulary.source_framing(source) == first
    text = "\n\n".join(["Titre", *["Alliés, Alliés, Alliés et sécurité."] * 3])
    imports.import_file(text, "more.txt", source=source)  # the worker counts it in
    assert vocabulary.source_framing(source) != first


@pytestmark_db
def test_counting_pending_statements_by_command_makes_their_sources_vocabulary_stale(
    seeded, queued_tasks, django_capture_on_commit_callbacks
):
    """`rebuild_corpus_stats --pending` counts in what an import left to the worker, as the
    worker's task does: the source's stored vocabulary is stale and its refresh queued."""
    source = seeded["000"].source
    assert not vocabulary.compute(source).stale
    text = "\n\n".join(["Titre", *["Alliés, Alliés, Alliés et sécurité."] * 3])
    imports.import_file(text, "more.txt", source=source)  # its count is queued, not run
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rebuild_corpus_stats", "--pending", stdout=io.StringIO())
    assert SourceVocabulary.objects.get(source=source).stale
    queued = [result.task.name for result in queued_tasks.results]
    assert "refresh_vocabulary" in queued


@pytestmark_db
def test_a_source_alone_in_the_corpus_has_no_chart(client, db):
    source = make_source("Lonely")
    make_statement(source=source)
    page = client.get(source.get_absolute_url()).content.decode()
    assert "terms-chart" not in page
