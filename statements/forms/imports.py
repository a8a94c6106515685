"""Forms of the admin's import page: the upload, and each file's corrections in the preview.

Between the preview and the confirmation the uploaded bytes travel in one hidden field,
signed with `django.core.signing` (`Batch`: tamper-proof, tied to the user, valid for a
day): the server keeps no state.
"""

from __future__ import annotations

import base64
import datetime
import zlib
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.core import signing
from django.template.defaultfilters import filesizeformat

from statements import importing
from statements.models import Event, Paragraph, Source
from statements.services import imports

from .reading import language_choices

SIGNING_SALT = "statements.admin_import"
PREVIEW_MAX_AGE = 24 * 60 * 60
PASTED_FORMATS = [("txt", "Plain text"), ("md", "Markdown"), ("html", "HTML")]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input: cleans to a list of uploads (empty when none)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        # An empty file is let through to be refused by name, with the others' messages.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        clean_one = super().clean
        uploads = data if isinstance(data, list | tuple) else [data]
        return [upload for upload in map(clean_one, uploads, [initial] * len(uploads)) if upload]


def date_value(day: datetime.date | None, precision: str) -> str:
    """A date as the date fields take it: 2022-09-30, 2022-09 (a month), 2022 (a year)."""
    if day is None:
        return ""
    return day.strftime({"year": "%Y", "month": "%Y-%m"}.get(precision, "%Y-%m-%d"))


def clean_date(value: str) -> tuple[datetime.date | None, str]:
    """(date, precision) from a date field; (None, "day") when it is blank."""
    if not value.strip():
        return None, "day"
    found = importing.parse_date_value(value)
    if found is None:
        raise forms.ValidationError(
            "%(value)s is not a date: write 2022-09-30, 2022-09 (a month) or 2022 (a year).",
            params={"value": value},
        )
    return found


@dataclass
class Batch:
    """What the upload form hands to the preview and, signed, to the confirmation."""

    files: list[tuple[str, bytes]]
    language: str = ""
    events: list[str] = field(default_factory=list)
    source_name: str = ""
    source_kind: str = ""
    date: str = ""

    def choices(self) -> imports.BatchChoices:
        return imports.BatchChoices(self.events, self.source_name, self.source_kind)

    def sign(self, user) -> str:
        return signing.dumps(
            {
                "user": user.pk,
                "files": [
                    [name, base64.b64encode(zlib.compress(data)).decode("ascii")]
                    for name, data in self.files
                ],
                "language": self.language,
                "events": self.events,
                "source_name": self.source_name,
                "source_kind": self.source_kind,
                "date": self.date,
            },
            salt=SIGNING_SALT,
        )

    @classmethod
    def unsign(cls, token: str, user) -> Batch:
        """The batch signed for `user`; signing.BadSignature when altered, expired or not
        theirs."""
        payload = signing.loads(token, salt=SIGNING_SALT, max_age=PREVIEW_MAX_AGE)
        if payload.pop("user") != user.pk:
            raise signing.BadSignature("signed for another user")
        files = [(name, zlib.decompress(base64.b64decode(data))) for name, data in payload["files"]]
        return cls(**{**payload, "files": files})


class ImportForm(forms.Form):
    files = MultipleFileField(
        required=False, help_text="Plain text (.txt), Markdown (.md) or HTML (.html, .htm)."
    )
    pasted_text = forms.CharField(
        label="Or paste a text", required=False, strip=False, widget=forms.Textarea
    )
    pasted_format = forms.ChoiceField(
        label="The pasted text is", choices=PASTED_FORMATS, initial="txt", required=False
    )
    source = forms.ModelChoiceField(
        Source.objects.all(),
        required=False,
        empty_label="The one each text's header names",
        help_text="Applied to every text; each can still be changed in the preview.",
    )
    new_source_name = forms.CharField(label="Or a new source", max_length=200, required=False)
    new_source_kind = forms.ChoiceField(
        label="Kind of the new source",
        choices=Source.Kind.choices,
        initial=Source.Kind.OTHER,
        required=False,
    )
    events = forms.ModelMultipleChoiceField(Event.objects.all(), required=False)
    new_events = forms.CharField(
        label="New events", required=False, help_text="Names separated by semicolons."
    )
    language = forms.ChoiceField(
        label="Language",
        choices=language_choices("Detect"),
        required=False,
        help_text="Instead of detecting it.",
    )
    date = forms.CharField(
        label="Date",
        required=False,
        help_text="Instead of the one found: 2022-09-30, 2022-09 (a month) or 2022 (a year).",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.max_files = settings.PARALLAX_IMPORT_MAX_FILES
        self.max_bytes = settings.PARALLAX_IMPORT_MAX_BYTES
        limits = f" At most {self.max_files} files of {filesizeformat(self.max_bytes)} each."
        self.fields["files"].help_text += limits

    def clean_files(self) -> list[tuple[str, bytes]]:
        """Each upload's name and bytes; every unreadable file named with its reason."""
        uploads = self.cleaned_data["files"]
        if len(uploads) > self.max_files:
            raise forms.ValidationError(self.too_many(len(uploads)))
        files, errors = [], []
        for upload in uploads:
            name = upload.name
            if not name.lower().endswith(importing.SUFFIXES):
                errors.append(
                    f'"{name}" cannot be imported: only .txt, .md, .html and .htm files can.'
                )
                continue
            try:
                importing.check_size(upload.size, max_bytes=self.max_bytes, filename=name)
                data = upload.read()
                importing.decode(data, max_bytes=self.max_bytes, filename=name)
            except importing.ImportRefused as exc:
                errors.append(str(exc))
                continue
            files.append((name, data))
        if errors:
            raise forms.ValidationError(errors)
        return files

    def clean_date(self) -> str:
        clean_date(self.cleaned_data["date"])
        return self.cleaned_data["date"].strip()

    def clean_new_source_name(self) -> str:
        name = self.cleaned_data["new_source_name"].strip()
        if name and imports.find_source(name) is None:
            check_may_add(self.user, Source, name)
        return name

    def clean_new_events(self) -> list[str]:
        names = [name.strip() for name in self.cleaned_data["new_events"].split(";")]
        names = [name for name in names if name]
        for name in names:
            if len(name) > imports.NAME_MAX_CHARS:
                raise forms.ValidationError(
                    f'The event name "{name[:40]}…" is longer than '
                    f"{imports.NAME_MAX_CHARS} characters."
                )
            if imports.find_event(name) is None:
                check_may_add(self.user, Event, name)
        return names

    def clean(self):
        cleaned = super().clean()
        files = list(cleaned.get("files") or [])
        pasted = (cleaned.get("pasted_text") or "").replace("\r\n", "\n")
        if pasted.strip():
            name = f"pasted.{cleaned.get('pasted_format') or 'txt'}"
            try:
                importing.decode(pasted, max_bytes=self.max_bytes, filename=name)
                files.append((name, pasted.encode("utf-8")))
            except importing.ImportRefused as exc:
                self.add_error("pasted_text", str(exc))
        if self.errors:
            return cleaned
        if not files:
            raise forms.ValidationError("Choose files to upload, or paste a text.")
        if len(files) > self.max_files:
            raise forms.ValidationError(self.too_many(len(files)))
        cleaned["all_files"] = files
        return cleaned

    def too_many(self, count: int) -> str:
        return (
            f"Too many files: {count} at once, and at most {self.max_files} can be imported "
            "at a time (a pasted text counts as one). Import them in smaller batches."
        )

    def batch(self) -> Batch:
        data = self.cleaned_data
        source = data["new_source_name"] or (data["source"].name if data["source"] else "")
        return Batch(
            files=data["all_files"],
            language=data["language"],
            events=[event.name for event in data["events"]] + data["new_events"],
            source_name=source,
            source_kind=data["new_source_kind"] if data["new_source_name"] else "",
            date=data["date"],
        )


def check_may_add(user, model, name: str, *, instead: str = "choose an existing one") -> None:
    """A ValidationError unless `user` may add the source or event called `name`."""
    if not user.has_perm(f"{model._meta.app_label}.add_{model._meta.model_name}"):
        what = model._meta.verbose_name
        raise forms.ValidationError(
            f'There is no {what} called "{name}", and you may not add {what}s: '
            f"{instead}, or ask an administrator."
        )


class CorrectionForm(forms.Form):
    """One file's corrections in the preview: title, date, source and each paragraph's kind.

    A kind left out of the submission keeps the parsed one (the page's script leaves out
    the kinds nobody changed, which keeps long batches under Django's field limit).
    """

    title = forms.CharField(max_length=500, required=False)
    date = forms.CharField(
        required=False, help_text="2022-09-30, 2022-09 (a month), 2022 (a year); blank: undated."
    )
    source = forms.CharField(
        max_length=200, error_messages={"required": "Name the source of this text."}
    )

    def __init__(self, *args, parsed: importing.ParsedStatement, batch: Batch, user, **kwargs):
        initial = {
            "title": parsed.title,
            "date": batch.date or date_value(parsed.published_on, parsed.date_precision),
            "source": batch.source_name
            or parsed.metadata.get("source")
            or parsed.metadata.get("site_name", ""),
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.parsed = parsed
        self.user = user
        if self.is_bound:
            self.data = self.data.copy()
        for position, paragraph in enumerate(parsed.paragraphs, start=1):
            name = f"kind-{position}"
            self.fields[name] = forms.ChoiceField(
                label=f"Kind of paragraph {position}",
                choices=Paragraph.Kind.choices,
                initial=paragraph.kind,
                required=False,
                widget=forms.Select(
                    attrs={
                        "class": "import-kind",
                        "data-parsed": paragraph.kind,
                        "aria-label": f"Kind of paragraph {position}",
                    }
                ),
            )
            if self.is_bound:
                self.data.setdefault(self.add_prefix(name), paragraph.kind)

    def clean_date(self) -> tuple[datetime.date | None, str]:
        return clean_date(self.cleaned_data["date"])

    def clean_source(self) -> str:
        name = self.cleaned_data["source"].strip()
        if imports.find_source(name) is None:
            check_may_add(self.user, Source, name)
        return name

    def clean(self):
        cleaned = super().clean()
        for event in self.parsed.events:  # named by the text's header
            if imports.find_event(event) is None:
                check_may_add(self.user, Event, event, instead="take it out of the text's header")
        return cleaned

    @property
    def rows(self) -> list[tuple[int, importing.ParsedParagraph, forms.BoundField]]:
        """(position, paragraph, its kind field) for the preview's table."""
        return [
            (position, paragraph, self[f"kind-{position}"])
            for position, paragraph in enumerate(self.parsed.paragraphs, start=1)
        ]

    def corrections(self) -> imports.Corrections:
        data = self.cleaned_data
        published_on, precision = data["date"]
        kinds = {
            position: data[f"kind-{position}"]
            for position in range(1, len(self.parsed.paragraphs) + 1)
            if data[f"kind-{position}"]
        }
        return imports.Corrections(
            title=data["title"],
            published_on=published_on,
            date_precision=precision,
            kinds=kinds,
        )
