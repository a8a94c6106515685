"""Statements, their sources, events and ordered paragraphs."""

from __future__ import annotations

import calendar
import datetime

from django.conf import settings
from django.db import models
from django.db.models import Count
from django.urls import reverse
from django.utils.text import slugify


class NaturalKeyManager(models.Manager):
    """Lets fixtures name sources and events by slug, so loaddata updates rather than clashes."""

    def get_by_natural_key(self, slug: str):
        return self.get(slug=slug)


class Source(models.Model):
    class Kind(models.TextChoices):
        OFFICIAL = "official", "Official"
        STATE_MEDIA = "state_media", "State media"
        NEWS_AGENCY = "news_agency", "News agency"
        PRESS = "press", "Press"
        BLOG = "blog", "Blog"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    country = models.CharField(max_length=100, blank=True)
    homepage = models.URLField(blank=True)
    description = models.TextField(blank=True)

    objects = NaturalKeyManager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("source_detail", args=[self.slug])

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class Event(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True)

    objects = NaturalKeyManager()

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="event_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("event_detail", args=[self.slug])

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


class StatementQuerySet(models.QuerySet):
    def for_listing(self) -> StatementQuerySet:
        """What a list of statements shows: source, events and paragraph count, in 3 queries."""
        return (
            self.select_related("source")
            .prefetch_related("events")
            .annotate(paragraph_count=Count("paragraphs", distinct=True))
        )

    def chronological(self) -> StatementQuerySet:
        return self.order_by(models.F("published_on").asc(nulls_last=True), "title")


class Statement(models.Model):
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="statements")
    title = models.CharField(max_length=500)
    slug = models.SlugField(max_length=120, unique=True)
    published_on = models.DateField(null=True, blank=True)
    date_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    language = models.CharField(max_length=8, default="fr")
    url = models.URLField(max_length=1000, blank=True)
    events = models.ManyToManyField(Event, related_name="statements", blank=True)
    original_text = models.TextField(help_text="Exactly what was imported, header included.")
    content_hash = models.CharField(max_length=64, unique=True, editable=False)
    source_filename = models.CharField(max_length=255, blank=True)
    import_warnings = models.JSONField(default=list, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "title"]
        indexes = [
            models.Index(fields=["published_on"]),
            models.Index(fields=["language"]),
            models.Index(fields=["source", "published_on"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("statement_detail", args=[self.slug])

    @property
    def date_display(self) -> str:
        """The date at its precision: '30 September 2022', 'September 2022', '2022'."""
        return format_date(self.published_on, self.date_precision)

    @property
    def date_range(self) -> tuple[datetime.date, datetime.date] | None:
        """First and last day the date may stand for (a month-precision date spans the month)."""
        return date_span(self.published_on, self.date_precision)

    @classmethod
    def unique_slug(
        cls, title: str, published_on: datetime.date | None = None, precision: str = "day"
    ) -> str:
        """A short readable slug: the date at its precision, then the title's first words."""
        words = slugify(title).split("-")
        base = ""
        for word in words:
            if len(base) + len(word) + 1 > 60:
                break
            base = f"{base}-{word}" if base else word
        base = base or slugify(title)[:60] or "statement"
        if published_on:
            stamp = {"year": "%Y", "month": "%Y-%m"}.get(precision, "%Y-%m-%d")
            base = f"{published_on.strftime(stamp)}-{base}"
        slug, counter = base, 2
        while cls.objects.filter(slug=slug).exists():
            slug, counter = f"{base}-{counter}", counter + 1
        return slug


def format_date(day: datetime.date | None, precision: str) -> str:
    if day is None:
        return "Undated"
    if precision == DatePrecision.YEAR:
        return f"{day.year}"
    if precision == DatePrecision.MONTH:
        return f"{calendar.month_name[day.month]} {day.year}"
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def date_span(
    day: datetime.date | None, precision: str
) -> tuple[datetime.date, datetime.date] | None:
    if day is None:
        return None
    if precision == DatePrecision.YEAR:
        return datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31)
    if precision == DatePrecision.MONTH:
        last = calendar.monthrange(day.year, day.month)[1]
        return day.replace(day=1), day.replace(day=last)
    return day, day


class Paragraph(models.Model):
    class Kind(models.TextChoices):
        BODY = "body", "Body"
        TITLE = "title", "Title"
        HEADING = "heading", "Heading"
        DATELINE = "dateline", "Dateline"
        CAPTION = "caption", "Caption or credit"
        BOILERPLATE = "boilerplate", "Boilerplate"
        QUOTE = "quote", "Quote"

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="paragraphs")
    position = models.PositiveIntegerField()
    text = models.TextField()
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.BODY)
    number = models.CharField(max_length=10, blank=True, help_text="The text's own number, '1.'")
    language = models.CharField(
        max_length=8, blank=True, help_text="Only when it differs from the statement's."
    )

    class Meta:
        ordering = ["statement", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "position"], name="paragraph_position_unique"
            )
        ]
        indexes = [models.Index(fields=["statement", "kind"])]

    def __str__(self) -> str:
        return f"{self.statement.slug} ¶{self.position}"

    def get_absolute_url(self) -> str:
        return f"{reverse('statement_detail', args=[self.statement.slug])}#p{self.position}"

    @property
    def anchor(self) -> str:
        return f"p{self.position}"

    @property
    def is_body(self) -> bool:
        return self.kind in (self.Kind.BODY, self.Kind.QUOTE)
