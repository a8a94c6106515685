"""Forms of saved comparisons, their links, readers' notes and moderation."""

from __future__ import annotations

from django import forms

from statements import markup
from statements.models import Annotation, Comparison, Link


class ComparisonForm(forms.ModelForm):
    """Title, note and visibility of a saved comparison."""

    class Meta:
        model = Comparison
        fields = ["title", "note", "visibility"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError("Give the comparison a title.")
        return title

    def clean_note(self) -> str:
        """Rendered here, once: the page shows the stored HTML."""
        note = self.cleaned_data["note"]
        try:
            self.instance.set_note(note)
        except markup.MarkupRefused as refused:
            raise forms.ValidationError(str(refused)) from None
        return note


class LinkUpdateForm(forms.Form):
    """Confirm, reject or retype one link of a saved comparison."""

    state = forms.ChoiceField(choices=Link.State.choices, required=False)
    relation = forms.ChoiceField(choices=Link.Relation.choices, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("state") and not data.get("relation"):
            raise forms.ValidationError("Choose a state or a relation for the link.")
        return data


class ManualLinkForm(forms.Form):
    """A reader's own link: a left paragraph, a right paragraph and how they relate."""

    left = forms.TypedChoiceField(coerce=int, label="Left paragraph")
    right = forms.TypedChoiceField(coerce=int, label="Right paragraph")
    relation = forms.ChoiceField(choices=Link.Relation.choices, initial=Link.Relation.RESTATES)

    def __init__(self, *args, left_paragraphs=(), right_paragraphs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["left"].choices = paragraph_choices(left_paragraphs)
        self.fields["right"].choices = paragraph_choices(right_paragraphs)


def paragraph_choices(paragraphs) -> list[tuple[int | str, str]]:
    return [("", "Choose…")] + [
        (p.position, f"¶{p.position} {p.text[:70]}{'…' if len(p.text) > 70 else ''}")
        for p in paragraphs
    ]


class HideForm(forms.Form):
    """A moderator hides content from everyone else, and says why."""

    reason = forms.CharField(max_length=300, label="Reason shown to the author")
    hidden = forms.BooleanField(required=False, initial=True)


# W3C TextQuoteSelector context: how much text either side of a passage is kept.
SELECTOR_CONTEXT = 32
TAG_NAMES = ", ".join(Annotation.Tag.values)


class AnnotationForm(forms.ModelForm):
    """A reader's note: Markdown body, tags, visibility, and optionally the passage it is about.

    The passage (`exact`, with `start`/`end` offsets from a text selection, or typed alone)
    must be found in the paragraph's text; prefix and suffix are taken from that text. An
    empty passage makes a note on the whole paragraph.
    """

    tags = forms.MultipleChoiceField(
        choices=Annotation.Tag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": f"“%(value)s” is not a tag: choose among {TAG_NAMES}."},
    )
    exact = forms.CharField(
        required=False,
        strip=False,
        label="Passage",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The words of the paragraph this note is about; empty for the whole paragraph.",
    )
    # Offsets come from a script's text selection; a bad one is a passage error, said once.
    start = forms.CharField(required=False, widget=forms.HiddenInput)
    end = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Annotation
        fields = ["exact", "start", "end", "body", "tags", "visibility"]
        labels = {"body": "Note (Markdown)"}
        widgets = {"body": forms.Textarea(attrs={"rows": 4}), "visibility": forms.RadioSelect}
        error_messages = {
            "body": {
                "required": "Write the note: an empty note says nothing.",
                "max_length": "A note can be at most %(limit_value)d characters long "
                "(this one has %(show_value)d).",
            }
        }

    def clean_body(self) -> str:
        """Rendered here, once: pages show the stored HTML."""
        body = self.cleaned_data["body"]
        try:
            self.instance.set_body(body)
        except markup.MarkupRefused as refused:
            raise forms.ValidationError(str(refused)) from None
        return body

    def clean_tags(self) -> list[str]:
        chosen = set(self.cleaned_data["tags"])
        return [tag for tag in Annotation.Tag.values if tag in chosen]

    def clean(self):
        data = super().clean()
        paragraph = self.instance.paragraph if self.instance.paragraph_id else None
        exact, start, end = data.get("exact") or "", data.get("start"), data.get("end")
        data.update(start=None, end=None)  # only offsets checked against the text are kept
        if paragraph is None:
            if exact or start or end:
                self.add_error(None, "A note on a link is about both paragraphs: no passage.")
            return data
        if not exact.strip():  # no passage: the note is about the whole paragraph
            data["exact"] = ""
            self.instance.prefix = self.instance.suffix = ""
            return data
        kept = self.instance.pk and exact == self.instance.exact and self.instance.start is not None
        if kept and not start and not end:  # an edit that keeps its passage keeps its place
            start, end = str(self.instance.start), str(self.instance.end)
        span = self.find_passage(paragraph.text, exact, start, end)
        if span is None:
            return data
        start, end = span
        data.update(start=start, end=end)
        self.instance.prefix = paragraph.text[max(0, start - SELECTOR_CONTEXT) : start]
        self.instance.suffix = paragraph.text[end : end + SELECTOR_CONTEXT]
        return data

    def find_passage(self, text: str, exact: str, start: str, end: str) -> tuple[int, int] | None:
        """[start, end) of `exact` in `text`, or None with a form error saying why."""
        if not start and not end:
            found = text.find(exact)
            if found < 0:
                self.add_error(
                    "exact",
                    f"“{exact[:60]}” is not in this paragraph: copy its words exactly, "
                    "or leave the passage empty.",
                )
                return None
            return found, found + len(exact)
        offsets = [
            int(v) if v.isascii() and v.isdigit() and len(v) <= 9 else -1
            for v in (start or "", end or "")
        ]
        first, last = offsets
        if not 0 <= first < last <= len(text) or text[first:last] != exact:
            self.add_error(
                "exact",
                "The passage does not match the paragraph's text at that place: select it again.",
            )
            return None
        return first, last
