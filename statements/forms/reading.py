"""Forms of the reading pages: list filters, the compare picker and options, search."""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.db.models.functions import ExtractYear
from django.http import QueryDict

from statements.alignment import DEFAULT_THRESHOLD, LOWEST_THRESHOLD
from statements.models import Event, Source, Statement
from statements.search import MAX_QUERY_CHARS, SearchFilters, SearchResults, search_paragraphs
from statements.services import picking
from statements.text import LANGUAGE_NAMES


def language_choices(empty_label: str, codes=None) -> list[tuple[str, str]]:
    """A language menu: `codes` (default: every language Parallax reads) by name."""
    return [("", empty_label)] + [
        (code, LANGUAGE_NAMES.get(code, code)) for code in (codes or LANGUAGE_NAMES)
    ]


def stored_language_choices() -> list[tuple[str, str]]:
    """The languages of the stored statements, for filters."""
    codes = Statement.objects.order_by("language").values_list("language", flat=True)
    return language_choices("All languages", list(codes.distinct()))


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
        self.fields["language"].choices = stored_language_choices()
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


# Up to this many statements a picker lists them all in a menu; beyond, a menu is no picker
# (thousands of options): each side is a search box with the statements it matches.
PICKER_MENU_MAX = 40
PICKER_MATCHES = 6  # statements listed under a search box
PICKER_QUERY_CHARS = 200


class StatementChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, statement: Statement) -> str:
        return f"{statement.source.name} · {statement.date_display} · {statement.short_title}"


@dataclass
class Picker:
    """One side of the compare picker, as its template draws it: a menu (`menu`), or a
    search box (`box`) with the statements its words match (`matches`, `more` when there
    are others), the chosen one checked."""

    name: str
    label: str
    menu: forms.BoundField
    box: forms.BoundField
    words: str = ""
    matches: list[Statement] = field(default_factory=list)
    more: bool = False
    chosen: Statement | None = None

    @property
    def choices(self) -> list[Statement]:
        """The statements to choose from under the box: the chosen one first."""
        if self.chosen is None:
            return self.matches
        return [self.chosen, *(s for s in self.matches if s.pk != self.chosen.pk)]


class CompareForm(forms.Form):
    """Pick two statements to read side by side.

    While there are few statements (`PICKER_MENU_MAX`), each side is a menu of them all
    (`left`, `right`). Beyond, each side is a search box (`left_q`, `right_q`: words of a
    title, a source's name, a year) with the statements it matches to choose from (radio
    buttons named `left` and `right`); a box whose words match one statement chooses it.
    Everything works without JavaScript: a submitted box that matches several statements
    comes back with them listed. `left` fixes that side (the statement page's picker).
    """

    left = StatementChoiceField(
        Statement.objects.select_related("source").chronological(),
        to_field_name="slug",
        label="Left",
        empty_label="Choose a statement…",
        required=False,
    )
    right = StatementChoiceField(
        Statement.objects.select_related("source").chronological(),
        to_field_name="slug",
        label="Right",
        empty_label="Choose a statement…",
        required=False,
    )
    left_q = forms.CharField(label="Left", required=False, max_length=PICKER_QUERY_CHARS)
    right_q = forms.CharField(label="Right", required=False, max_length=PICKER_QUERY_CHARS)

    def __init__(self, *args, left: Statement | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed_left = left
        if left is not None:
            self.fields["right"].queryset = self.fields["right"].queryset.exclude(pk=left.pk)
            self.fields["right"].label = self.fields["right_q"].label = "Another statement"
        self.searchable = Statement.objects.count() > PICKER_MENU_MAX
        self._found: dict[str, tuple[list[Statement], bool]] = {}

    def words(self, side: str) -> str:
        """What the reader typed in a side's search box, as sent."""
        return " ".join(str(self.data.get(f"{side}_q", "")).split())[:PICKER_QUERY_CHARS]

    def matches(self, side: str) -> tuple[list[Statement], bool]:
        """The statements a side's box matches (at most `PICKER_MATCHES`), and whether
        more do; looked up once."""
        if side not in self._found:
            self._found[side] = picking.matching_statements(self.words(side), PICKER_MATCHES)
        return self._found[side]

    def clean(self):
        data = super().clean()
        for side in ("left", "right"):
            if data.get(side) or self.has_error(side):
                continue
            box = f"{side}_q"
            words = self.words(side)
            if not self.searchable or not words:
                what = "the other statement" if self.fixed_left else f"the {side} side"
                self.add_error(box if self.searchable else side, f"Choose {what}.")
                continue
            found, more = self.matches(side)
            if len(found) == 1 and not more:
                data[side] = found[0]
            elif not found:
                self.add_error(
                    box,
                    f"No statement matches “{words}”: try a word of its title, its "
                    "source's name or its year.",
                )
            else:
                self.add_error(box, "Several statements match: choose one.")
        if data.get("left") and data.get("left") == data.get("right"):
            raise forms.ValidationError(
                "Pick two different statements: a statement compared with itself shows nothing."
            )
        return data

    def picker(self, side: str) -> Picker:
        """What a side's template needs; its matches only in a searchable picker."""
        picker = Picker(side, self.fields[side].label, self[side], self[f"{side}_q"])
        if not self.searchable:
            return picker
        picker.words = self.words(side)
        picker.matches, picker.more = self.matches(side)
        if self.is_bound and hasattr(self, "cleaned_data"):
            picker.chosen = self.cleaned_data.get(side)
        elif self.is_bound:
            picker.chosen = picker.matches[0] if len(picker.matches) == 1 else None
        elif self.initial.get(side):
            picker.chosen = (
                Statement.objects.select_related("source").filter(slug=self.initial[side]).first()
            )
        return picker

    @property
    def pickers(self) -> list[Picker]:
        """The sides to pick, each once: the right alone when the left is fixed."""
        sides = ("right",) if self.fixed_left else ("left", "right")
        return [self.picker(side) for side in sides]


def _threshold_choices() -> list[tuple[str, str]]:
    """The menu of thresholds: a few round values and the engine's default, labelled."""
    values = sorted({LOWEST_THRESHOLD, 0.3, 0.4, DEFAULT_THRESHOLD, 0.6, 0.7, 0.8})
    labels = {values[0]: "loose", DEFAULT_THRESHOLD: "default", values[-1]: "strict"}
    return [
        (f"{value:g}", f"{value:.2f}" + (f" ({labels[value]})" if value in labels else ""))
        for value in values
    ]


THRESHOLD_CHOICES = _threshold_choices()


class CompareOptionsForm(forms.Form):
    """How the compare view reads: similarity threshold, and whether non-body paragraphs show."""

    threshold = forms.TypedChoiceField(
        choices=THRESHOLD_CHOICES, coerce=float, required=False, empty_value=DEFAULT_THRESHOLD
    )
    all = forms.BooleanField(required=False, label="Show titles, datelines, captions, boilerplate")

    @classmethod
    def from_query(cls, query: QueryDict) -> CompareOptionsForm:
        """The form bound to a page's query, the default threshold standing in for a missing
        or unknown one: the menu then shows the threshold the page was computed at."""
        data = query.copy()
        if data.get("threshold") not in dict(THRESHOLD_CHOICES):
            data["threshold"] = f"{DEFAULT_THRESHOLD:g}"
        return cls(data)

    def options(self) -> tuple[float, bool]:
        if self.is_valid():
            return self.cleaned_data["threshold"], self.cleaned_data["all"]
        return DEFAULT_THRESHOLD, False


class SearchForm(forms.Form):
    """The search page's query and filters, all optional; unknown values rejected."""

    q = forms.CharField(
        label="Search",
        required=False,
        strip=True,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": '"soutien indéfectible" Ukraine -Russie',
                "autocomplete": "off",
                "spellcheck": "false",
            }
        ),
    )
    source = forms.ModelChoiceField(
        Source.objects.all(), to_field_name="slug", required=False, empty_label="All sources"
    )
    kind = forms.ChoiceField(
        label="Source kind", choices=[("", "All kinds"), *Source.Kind.choices], required=False
    )
    event = forms.ModelChoiceField(
        Event.objects.all(), to_field_name="slug", required=False, empty_label="All events"
    )
    language = forms.ChoiceField(required=False)
    date_from = forms.DateField(
        label="From",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label="To",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    boilerplate = forms.BooleanField(label="Include site boilerplate", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = stored_language_choices()

    def clean_q(self) -> str:
        return self.cleaned_data["q"][: MAX_QUERY_CHARS * 2]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("The start date comes after the end date.")
        return data

    @property
    def has_filters(self) -> bool:
        """Whether the reader narrowed the search (the boilerplate box widens it)."""
        data = getattr(self, "cleaned_data", {})
        names = ("source", "kind", "event", "language", "date_from", "date_to")
        return any(data.get(name) for name in names)

    def filters(self) -> SearchFilters:
        data = self.cleaned_data
        return SearchFilters(
            source=data["source"],
            source_kind=data["kind"],
            event=data["event"],
            language=data["language"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            include_boilerplate=data["boilerplate"],
        )

    def results(self, *, user=None) -> SearchResults | None:
        """The search this form asks for; None when nothing was asked yet."""
        if not self.is_bound or not self.data.get("q", "").strip():
            return None
        if not self.is_valid():
            return SearchResults(self.data.get("q", ""), message="Those filters are not valid.")
        return search_paragraphs(self.cleaned_data["q"], filters=self.filters(), user=user)
