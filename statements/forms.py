from __future__ import annotations

from django import forms
from django.db.models.functions import ExtractYear

from .models import Event, Source, Statement

LANGUAGE_NAMES = {"fr": "French", "en": "English"}


class StatementFilterForm(forms.Form):
    """The filters of the statement list; every field optional, unknown values rejected."""

    source = forms.ModelChoiceField(
        Source.objects.all(), to_field_name="slug", required=False, empty_label="All sources"
    )
    event = forms.ModelChoiceField(
        Event.objects.all(), to_field_name="slug", required=False, empty_label="All events"
    )
    language = forms.ChoiceField(required=False)
    year = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        languages = Statement.objects.order_by("language").values_list("language", flat=True)
        self.fields["language"].choices = [("", "All languages")] + [
            (code, LANGUAGE_NAMES.get(code, code)) for code in languages.distinct()
        ]
        years = (
            Statement.objects.filter(published_on__isnull=False)
            .annotate(year=ExtractYear("published_on"))
            .order_by("-year")
            .values_list("year", flat=True)
            .distinct()
        )
        self.fields["year"].choices = [("", "All years")] + [(y, str(y)) for y in years]

    def filter(self, statements):
        if not self.is_valid():
            return statements.none()
        data = self.cleaned_data
        if data["source"]:
            statements = statements.filter(source=data["source"])
        if data["event"]:
            statements = statements.filter(events=data["event"])
        if data["language"]:
            statements = statements.filter(language=data["language"])
        if data["year"]:
            statements = statements.filter(published_on__year=data["year"])
        return statements


class StatementChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, statement: Statement) -> str:
        return f"{statement.source.name} · {statement.date_display} · {statement.title[:80]}"


class CompareForm(forms.Form):
    """Pick two statements to read side by side."""

    left = StatementChoiceField(
        Statement.objects.select_related("source").chronological(),
        to_field_name="slug",
        label="Left",
        empty_label="Choose a statement…",
    )
    right = StatementChoiceField(
        Statement.objects.select_related("source").chronological(),
        to_field_name="slug",
        label="Right",
        empty_label="Choose a statement…",
    )

    def clean(self):
        data = super().clean()
        if data.get("left") and data.get("left") == data.get("right"):
            raise forms.ValidationError(
                "Pick two different statements: a statement compared with itself shows nothing."
            )
        return data


THRESHOLD_CHOICES = [
    ("0.1", "0.10 (loose)"),
    ("0.15", "0.15"),
    ("0.2", "0.20 (default)"),
    ("0.25", "0.25"),
    ("0.3", "0.30"),
    ("0.4", "0.40"),
    ("0.5", "0.50 (strict)"),
]


class CompareOptionsForm(forms.Form):
    """How the compare view reads: similarity threshold, and whether non-body paragraphs show."""

    threshold = forms.TypedChoiceField(
        choices=THRESHOLD_CHOICES, coerce=float, required=False, empty_value=0.2
    )
    all = forms.BooleanField(required=False, label="Show titles, datelines, captions, boilerplate")

    def options(self) -> tuple[float, bool]:
        if self.is_valid():
            return self.cleaned_data["threshold"], self.cleaned_data["all"]
        return 0.2, False
