from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError

from statements.models import DatePrecision, Paragraph, Statement, date_span, format_date

from .conftest import make_statement


@pytest.mark.parametrize(
    ("precision", "shown"),
    [
        (DatePrecision.DAY, "30 September 2022"),
        (DatePrecision.MONTH, "September 2022"),
        (DatePrecision.YEAR, "2022"),
    ],
)
def test_dates_are_shown_at_their_precision(precision, shown):
    assert format_date(datetime.date(2022, 9, 30), precision) == shown


def test_an_undated_statement_says_so():
    assert format_date(None, DatePrecision.DAY) == "Undated"


def test_a_month_date_spans_the_whole_month():
    assert date_span(datetime.date(2022, 2, 1), DatePrecision.MONTH) == (
        datetime.date(2022, 2, 1),
        datetime.date(2022, 2, 28),
    )


@pytest.mark.django_db
def test_slugs_are_unique_and_carry_the_date():
    statement = make_statement(title="L'OTAN réagit", published_on=datetime.date(2022, 9, 22))
    slug = Statement.unique_slug("L'OTAN réagit", datetime.date(2022, 9, 22))
    assert slug == "2022-09-22-lotan-reagit"
    Statement.objects.filter(pk=statement.pk).update(slug=slug)
    assert Statement.unique_slug("L'OTAN réagit", datetime.date(2022, 9, 22)).endswith("-2")


@pytest.mark.django_db
def test_two_paragraphs_cannot_share_a_position():
    statement = make_statement(paragraphs=1)
    with pytest.raises(IntegrityError):
        Paragraph.objects.create(statement=statement, position=1, text="Doublon")


@pytest.mark.django_db
def test_urls_point_at_pages_and_paragraph_anchors():
    statement = make_statement(paragraphs=2)
    paragraph = statement.paragraphs.last()
    assert statement.get_absolute_url() == f"/statements/{statement.slug}/"
    assert paragraph.get_absolute_url() == f"/statements/{statement.slug}/#p2"
    assert statement.source.get_absolute_url() == f"/sources/{statement.source.slug}/"
