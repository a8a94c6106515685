"""Statements, their sources, events and paragraphs; comparisons, links and annotations."""

from __future__ import annotations

import calendar
import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from . import importing, markup
from .alignment import DEFAULT_THRESHOLD
from .paging import ParagraphPage, paragraph_page_of
from .reading import pair_anchor
from .text import LANGUAGE_NAMES, shorten


def unique_slug(model: type[models.Model], base: str) -> str:
    """`base`, or `base-2`, `base-3` … : the first slug no `model` row has yet."""
    slug, counter = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


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


def related_count(rows: models.QuerySet, field: str) -> Coalesce:
    """How many of `rows` have `field` pointing at the outer row: a subquery, so that the
    outer query is not grouped (SQLite grouped by every column, 2 MB texts included)."""
    counts = rows.filter(**{field: OuterRef("pk")}).order_by().values(field)
    return Coalesce(Subquery(counts.annotate(count=Count("pk")).values("count")), 0)


SHORT_TITLE_CHARS = 80


class StatementQuerySet(models.QuerySet):
    def for_listing(self) -> StatementQuerySet:
        """What a list of statements shows: source, events and paragraph count, in 3 queries
        (no GROUP BY, and the original texts are not loaded)."""
        return (
            self.select_related("source")
            .prefetch_related("events")
            .defer("original_text")
            .annotate(paragraph_count=related_count(Paragraph.objects.all(), "statement"))
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
    # Whether its body paragraphs are counted in the corpus statistics of its language
    # (services/corpus.py): imports and edits leave it False, a task counts it in.
    stats_counted = models.BooleanField(default=False, editable=False)
    # Whether its paragraphs' fingerprints are in the echoes index (`EchoKey`): imports and
    # edits leave it False, a task indexes it (services/echoes.py).
    echoes_indexed = models.BooleanField(default=False, editable=False)

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "title"]
        indexes = [
            models.Index(fields=["published_on"]),
            models.Index(fields=["language"]),
            models.Index(fields=["source", "published_on"]),
            models.Index(
                fields=["id"],
                condition=models.Q(stats_counted=False),
                name="statement_stats_pending",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("statement_detail", args=[self.slug])

    def paragraph_page(self, wanted: str | None) -> tuple[ParagraphPage, int]:
        """The page of paragraphs asked for, and the statement's boilerplate count: 1 query."""
        shape = self.paragraphs.aggregate(
            last=models.Max("position"),
            boilerplate=Count("pk", filter=models.Q(kind=Paragraph.Kind.BOILERPLATE)),
        )
        return ParagraphPage.of(wanted, shape["last"]), shape["boilerplate"]

    @property
    def date_display(self) -> str:
        """The date at its precision: '30 September 2022', 'September 2022', '2022'."""
        return format_date(self.published_on, self.date_precision)

    @property
    def date_range(self) -> tuple[datetime.date, datetime.date] | None:
        """First and last day the date may stand for (a month-precision date spans the month)."""
        return date_span(self.published_on, self.date_precision)

    @property
    def short_title(self) -> str:
        """The title cut at a word boundary to fit a menu or a list of choices."""
        return shorten(self.title, SHORT_TITLE_CHARS)

    def reading_paragraphs(self, first: int = 1, last: int | None = None) -> list[Paragraph]:
        """Its paragraphs in order (positions `first` to `last`, or all), each with
        `folded`: why reading folds it away, kept in the text ("boilerplate", or "title":
        it repeats the page's heading), else ""."""
        paragraphs = self.paragraphs.filter(position__gte=first)
        if last is not None:
            paragraphs = paragraphs.filter(position__lte=last)
        paragraphs = list(paragraphs)
        for p in paragraphs:
            p.folded = "boilerplate" if p.kind == Paragraph.Kind.BOILERPLATE else ""
            if p.kind == Paragraph.Kind.TITLE and importing.is_title_repeat(p.text, self.title):
                p.folded = "title"
        return paragraphs

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
        return unique_slug(cls, base)


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

    # What a statement says, as opposed to its title, datelines, captions and site chrome.
    BODY_KINDS = importing.BODY_KINDS

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="paragraphs")
    position = models.PositiveIntegerField()
    text = models.TextField()
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.BODY)
    number = models.CharField(max_length=10, blank=True, help_text="The text's own number, '1.'")
    language = models.CharField(
        max_length=8, blank=True, help_text="Only when it differs from the statement's."
    )
    # Its words counted once, when it is stored: (term hash, count) pairs of its stems and
    # pairs of stems (framing.TERM_DTYPE), what framing and the corpus statistics add up.
    terms = models.BinaryField(default=b"", editable=False)

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
        page = paragraph_page_of(self.position)
        query = f"?page={page}" if page > 1 else ""
        return f"{reverse('statement_detail', args=[self.statement.slug])}{query}#p{self.position}"

    @property
    def anchor(self) -> str:
        return f"p{self.position}"

    @property
    def is_body(self) -> bool:
        return self.kind in self.BODY_KINDS


def new_comparison_key() -> str:
    return secrets.token_urlsafe(9)


def default_threshold() -> float:
    """The engine's default threshold, read when a comparison is made (a callable, so that
    tuning the engine needs no migration)."""
    return DEFAULT_THRESHOLD


class Visibility(models.TextChoices):
    PUBLIC = "public", "Public: listed and shown to everyone"
    UNLISTED = "unlisted", "Unlisted: anyone with the link"
    PRIVATE = "private", "Private: only me"


def shown_to(user, *, shared: models.Q, owner: str) -> models.Q:
    """The one visibility rule of what readers write (comparisons, notes): shared items a
    moderator has not hidden, and the reader's own. Staff also see hidden shared ones (to
    show them again); private ones stay their owner's alone, whoever asks."""
    if not (user.is_authenticated and user.is_staff):
        shared &= models.Q(hidden=False)
    if user.is_authenticated:
        shared |= models.Q(**{owner: user})
    return shared


class Moderated(models.Model):
    """Something readers share that a moderator can hide from everyone but its author."""

    hidden = models.BooleanField(default=False, help_text="Hidden by a moderator")
    hidden_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        abstract = True

    def moderate(self, *, hidden: bool, reason: str = "") -> None:
        """Hide (with the reason its author will read) or show again."""
        self.hidden = hidden
        self.hidden_reason = reason if hidden else ""
        self.save(update_fields=["hidden", "hidden_reason"])


class ComparisonQuerySet(models.QuerySet):
    def visible_to(self, user) -> ComparisonQuerySet:
        """What `user` may open: shared ones (public or unlisted), and their own."""
        shared = models.Q(visibility__in=[Visibility.PUBLIC, Visibility.UNLISTED])
        return self.filter(shown_to(user, shared=shared, owner="owner"))

    def reachable_without_key(self, user) -> ComparisonQuerySet:
        """What a page reached by a sequential id may show `user`: public ones (staff: hidden
        ones too) and their own; an unlisted one is only for those given its key."""
        shared = models.Q(visibility=Visibility.PUBLIC)
        return self.filter(shown_to(user, shared=shared, owner="owner"))

    def listed(self) -> ComparisonQuerySet:
        return self.filter(visibility=Visibility.PUBLIC, hidden=False)


class Comparison(Moderated):
    """Two statements a reader saved, curated and may share by its key."""

    left = models.ForeignKey(
        Statement, on_delete=models.PROTECT, related_name="comparisons_as_left"
    )
    right = models.ForeignKey(
        Statement, on_delete=models.PROTECT, related_name="comparisons_as_right"
    )
    key = models.CharField(max_length=24, unique=True, default=new_comparison_key, editable=False)
    title = models.CharField(max_length=200)
    note = models.TextField(blank=True, max_length=5000)
    note_html = models.TextField(blank=True, editable=False, help_text="The note, rendered")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comparisons"
    )
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.UNLISTED
    )
    threshold = models.FloatField(default=default_threshold)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ComparisonQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(left=models.F("right")), name="comparison_of_two_statements"
            )
        ]
        indexes = [models.Index(fields=["owner", "-updated_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("comparison_detail", args=[self.key])

    def is_editable_by(self, user) -> bool:
        return user.is_authenticated and user.pk == self.owner_id

    def set_note(self, note: str) -> None:
        """The note and its HTML, rendered now and once (markup.MarkupRefused if it cannot)."""
        self.note_html = markup.render_markdown(
            note, max_chars=self._meta.get_field("note").max_length
        )
        self.note = note

    def touch(self) -> None:
        """Mark the comparison as changed now (its links were curated): lists show it first,
        and cached pages of it are dropped."""
        self.updated_at = timezone.now()
        Comparison.objects.filter(pk=self.pk).update(updated_at=self.updated_at)


class Link(models.Model):
    """A link between a left and a right paragraph in a saved comparison."""

    class Relation(models.TextChoices):
        RESTATES = "restates", "Restates"
        QUOTES = "quotes", "Quotes"
        REFRAMES = "reframes", "Reframes"
        CONTRADICTS = "contradicts", "Contradicts"
        CONTEXT = "context", "Context"
        TRANSLATES = "translates", "Translates"

    class State(models.TextChoices):
        SUGGESTED = "suggested", "Suggested"
        CONFIRMED = "confirmed", "Confirmed"
        REJECTED = "rejected", "Rejected"

    comparison = models.ForeignKey(Comparison, on_delete=models.CASCADE, related_name="links")
    left = models.ForeignKey(Paragraph, on_delete=models.PROTECT, related_name="links_as_left")
    right = models.ForeignKey(Paragraph, on_delete=models.PROTECT, related_name="links_as_right")
    relation = models.CharField(max_length=12, choices=Relation.choices, default=Relation.RESTATES)
    state = models.CharField(max_length=10, choices=State.choices, default=State.SUGGESTED)
    score = models.FloatField(null=True, blank=True)
    origin = models.CharField(max_length=40, help_text="Engine version, or 'reader'")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["comparison", "left__position", "right__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["comparison", "left", "right"], name="link_unique_per_comparison"
            )
        ]

    def __str__(self) -> str:
        return f"¶{self.left.position} ↔ ¶{self.right.position} ({self.relation})"

    def get_absolute_url(self) -> str:
        return f"{self.comparison.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return pair_anchor(self.left.position, self.right.position)


class AnnotationQuerySet(models.QuerySet):
    def visible_to(self, user) -> AnnotationQuerySet:
        """The notes pages show `user`: public ones a moderator has not hidden, and their own
        (staff also see hidden public ones); never anyone else's private notes."""
        shared = models.Q(visibility=Annotation.Visibility.PUBLIC)
        return self.filter(shown_to(user, shared=shared, owner="author"))

    @staticmethod
    def _public() -> models.Q:
        return models.Q(visibility=Annotation.Visibility.PUBLIC, hidden=False)

    def public(self) -> AnnotationQuerySet:
        """Public notes a moderator has not hidden: what anyone may read anywhere."""
        return self.filter(self._public())

    def exported_to(self, user) -> AnnotationQuerySet:
        """What an export gives `user`: public notes not hidden, and their own. An export is
        shared further than a page, so no moderator sees hidden notes there either."""
        shown = self._public()
        if user.is_authenticated:
            shown |= models.Q(author=user)
        return self.filter(shown)

    def about_comparison(self, comparison: Comparison) -> AnnotationQuerySet:
        """Notes on either statement of `comparison`, and on its links."""
        return self.filter(
            models.Q(paragraph__statement__in=[comparison.left_id, comparison.right_id])
            | models.Q(link__comparison=comparison)
        )

    def grouped_by(self, field: str) -> dict[int, list[Annotation]]:
        """The notes by `field` ("paragraph_id" or "link_id"), oldest first: one query."""
        grouped: dict[int, list[Annotation]] = {}
        for note in self.select_related("author"):
            grouped.setdefault(getattr(note, field), []).append(note)
        return grouped


class Annotation(Moderated):
    """A reader's note on a paragraph (optionally a span of it) or on a link."""

    class Tag(models.TextChoices):
        CLAIM = "claim", "Claim"
        FRAMING = "framing", "Framing"
        OMISSION = "omission", "Omission"
        FACT_CHECK = "fact-check", "Fact-check"
        CONTEXT = "context", "Context"

    class Visibility(models.TextChoices):
        PRIVATE = "private", "Private: only me"
        PUBLIC = "public", "Public"

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="annotations"
    )
    paragraph = models.ForeignKey(
        Paragraph, null=True, blank=True, on_delete=models.CASCADE, related_name="annotations"
    )
    link = models.ForeignKey(
        Link, null=True, blank=True, on_delete=models.CASCADE, related_name="annotations"
    )
    # W3C TextQuoteSelector, plus a TextPositionSelector's offsets into the paragraph text.
    exact = models.TextField(blank=True)
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    body = models.TextField(max_length=markup.MAX_CHARS)
    body_html = models.TextField(blank=True, editable=False, help_text="The body, rendered")
    tags = models.JSONField(default=list, blank=True)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AnnotationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(paragraph__isnull=False, link__isnull=True)
                | models.Q(paragraph__isnull=True, link__isnull=False),
                name="annotation_has_one_target",
            ),
            models.CheckConstraint(
                condition=models.Q(start__isnull=True) | models.Q(end__gt=models.F("start")),
                name="annotation_span_is_ordered",
            ),
        ]
        indexes = [models.Index(fields=["paragraph", "visibility"])]

    def __str__(self) -> str:
        return f"{self.author} on {self.link or self.paragraph}"

    def get_absolute_url(self) -> str:
        if self.link_id:
            return self.link.get_absolute_url()
        return self.paragraph.get_absolute_url()

    def is_editable_by(self, user) -> bool:
        return user.is_authenticated and user.pk == self.author_id

    def set_body(self, body: str) -> None:
        """The body and its HTML, rendered now and once (markup.MarkupRefused if it cannot)."""
        self.body_html = markup.render_markdown(body)
        self.body = body


class ParagraphVector(models.Model):
    """A paragraph's sentence embedding by one model, as a float32 blob (statements/embeddings).

    `text_hash` is the hash of the text the vector was computed from: a vector whose
    paragraph was edited since is stale, and `embed_paragraphs` computes it again.
    """

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="vectors")
    model_name = models.CharField(max_length=60)
    text_hash = models.CharField(max_length=64)
    vector = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["paragraph", "model_name"], name="paragraph_vector_unique_per_model"
            )
        ]

    def __str__(self) -> str:
        return f"{self.paragraph} · {self.model_name}"


class TermStatistic(models.Model):
    """One term across the corpus of one language: in how many body paragraphs it occurs
    (the engine's document frequency: stems, character n-grams, phrases) and how many
    times (framing's prior: stems and pairs of stems, statements/terms.py), with a
    spelling seen (what a list of words shows). Kept up to date by services/corpus.py;
    `manage.py rebuild_corpus_stats` recomputes it.
    """

    language = models.CharField(max_length=8)
    key = models.CharField(max_length=200)
    spelling = models.CharField(max_length=200, blank=True)
    paragraphs = models.IntegerField(default=0)
    occurrences = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["language", "key"], name="term_statistic_unique")
        ]

    def __str__(self) -> str:
        return f"{self.language}:{self.key} ({self.paragraphs}, {self.occurrences})"


class CorpusSize(models.Model):
    """The totals of one language's corpus statistics: body paragraphs counted, and the
    occurrences of all single terms and of all pairs (the priors' denominators)."""

    language = models.CharField(max_length=8, primary_key=True)
    paragraphs = models.IntegerField(default=0)
    unigrams = models.BigIntegerField(default=0)
    bigrams = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.language}: {self.paragraphs} paragraphs"


class SourceVocabulary(models.Model):
    """A source's distinctive words against every other source of its main language,
    computed by the worker from the corpus statistics (services/vocabulary.py) and shown by
    its page. `stale` once the source's statements or the corpus changed since."""

    source = models.OneToOneField(
        Source, on_delete=models.CASCADE, primary_key=True, related_name="vocabulary"
    )
    language = models.CharField(max_length=8, blank=True)
    document = models.JSONField(null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    stale = models.BooleanField(default=True)
    queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "source vocabularies"

    def __str__(self) -> str:
        return f"{self.source}'s words"


class StoredAlignment(models.Model):
    """The engine's alignment of two statements (left, right), computed once and read by
    the compare page, its JSON and saved comparisons in one query.

    `document` holds every link down to the lowest threshold a reader can choose (pages
    filter it), each side's distinctive words and what the multilingual vectors added.
    `content_key` is what it was computed from (engine version, both statements'
    paragraphs, their vectors): when it differs from the pair's key now, it is stale.
    `queued_at` is set while a worker is asked to compute it.
    """

    left = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="+")
    engine = models.CharField(max_length=40)
    content_key = models.CharField(max_length=64, blank=True)
    document = models.JSONField(null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["left", "right"], name="stored_alignment_unique_pair"),
            models.CheckConstraint(
                condition=~models.Q(left=models.F("right")), name="stored_alignment_of_two"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.left_id} ↔ {self.right_id} ({self.engine})"


class EchoKey(models.Model):
    """One fingerprint of a body paragraph's wording (statements/echoes.py): what finds,
    through the index on `key`, every paragraph of the corpus that quotes or closely
    restates another, without reading the corpus. Written per statement by
    services/echoes.py; a deleted paragraph takes its keys with it."""

    key = models.BigIntegerField()
    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="+")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["key", "paragraph"], name="echo_key_lookup")]

    def __str__(self) -> str:
        return f"{self.paragraph_id}:{self.key:x}"


class FramingTerm(models.Model):
    """One entry of the framing lexicon the engine reads to explain a `reframes` link.

    A concept term (`concept` set: terms of one concept name the same thing, each side its
    own way, "annexion illégale" / "rattachement") or a qualifier (`kind` set: a word whose
    presence or absence changes the framing, "faux", "soi-disant"). Shipped from
    fixtures/framing_lexicon.json by a migration; staff edit it in the admin, and an edit
    makes stored alignments stale (the lexicon's content is in their content key).
    """

    class Side(models.TextChoices):
        WESTERN = "western", "Western (NATO, EU, allied governments)"
        RUSSIAN = "russian", "Russian (government and state media)"
        ANY = "any", "Either side"

    class Kind(models.TextChoices):
        DELEGITIMISING = "delegitimising", "Delegitimising (illegal, sham)"
        LEGITIMISING = "legitimising", "Legitimising (liberated, historic)"
        DISTANCING = "distancing", "Distancing (so-called, alleged)"
        INTENSIFYING = "intensifying", "Intensifying (flagrant, unwavering)"
        DENYING = "denying", "Denying (denies, staged, unfounded)"
        REBUTTING = "rebutting", "Rebutting a reported claim (en réalité, in reality)"
        SET_PHRASE = "set_phrase", "Set phrase, no qualifier inside (légitime défense)"

    language = models.CharField(max_length=2, choices=LANGUAGE_NAMES)
    text = models.CharField(max_length=200)
    side = models.CharField(max_length=10, choices=Side.choices)
    concept = models.CharField(
        max_length=200, blank=True, help_text="For a term: what it names (blank for a qualifier)."
    )
    kind = models.CharField(
        max_length=20,
        choices=Kind.choices,
        blank=True,
        help_text="For a qualifier: how it frames what it qualifies (blank for a term).",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["concept", "kind", "language", "text"]
        constraints = [
            models.UniqueConstraint(
                fields=["language", "text", "concept", "kind"], name="unique_framing_term"
            ),
            models.CheckConstraint(
                condition=~models.Q(concept="") | ~models.Q(kind=""),
                name="framing_term_is_a_term_or_a_qualifier",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.text} ({self.language}, {self.side})"

    def as_term(self) -> dict[str, str]:
        """The plain mapping the engine reads (`alignment.lexicon`)."""
        return {
            "language": self.language,
            "text": self.text,
            "side": self.side,
            "concept": self.concept,
            "kind": self.kind,
        }
