"""Readers' notes on paragraphs (optionally on a quoted passage) and on links between them.

Who sees what: everyone sees public notes; a reader also sees their own private ones; staff
also see public notes a moderator hid (with the reason), never anyone's private notes.
Permissions are checked here, in the views, whatever the templates show.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from .forms import AnnotationForm, HideForm
from .models import Annotation, Comparison, Link, Paragraph, Statement

# --- Reading notes -------------------------------------------------------------------------


def notes_visible_to(user) -> QuerySet[Annotation]:
    """The notes pages show `user`; see the module docstring."""
    if user.is_authenticated and user.is_staff:
        return Annotation.objects.filter(
            Q(visibility=Annotation.Visibility.PUBLIC) | Q(author=user)
        )
    return Annotation.objects.visible_to(user)


def annotations_for(paragraphs, user) -> dict[int, list[Annotation]]:
    """The notes `user` may see on `paragraphs`, by paragraph id, oldest first: one query."""
    ids = [paragraph.pk for paragraph in paragraphs]
    grouped: dict[int, list[Annotation]] = {}
    if not ids:
        return grouped
    for note in notes_visible_to(user).filter(paragraph__in=ids).select_related("author"):
        grouped.setdefault(note.paragraph_id, []).append(note)
    return grouped


def link_annotations_for(link_ids, user) -> dict[int, list[Annotation]]:
    """The notes `user` may see on the links `link_ids` (of a comparison they may open)."""
    ids = [pk for pk in link_ids if pk]
    grouped: dict[int, list[Annotation]] = {}
    if not ids:
        return grouped
    for note in notes_visible_to(user).filter(link__in=ids).select_related("author"):
        grouped.setdefault(note.link_id, []).append(note)
    return grouped


@dataclass
class Region:
    """The notes area under a paragraph (or a link): count, annotate button, list when open."""

    kind: str  # "paragraph" or "link"
    pk: int
    notes: list[Annotation] = field(default_factory=list)
    open: bool = False

    @property
    def dom_id(self) -> str:
        return f"notes-{self.pk}" if self.kind == "paragraph" else f"link-notes-{self.pk}"

    @property
    def form_slot_id(self) -> str:
        return f"{self.dom_id}-form"

    @property
    def list_url(self) -> str:
        return reverse(f"{self.kind}_annotations", args=[self.pk])

    @property
    def new_url(self) -> str:
        return f"{reverse('annotation_new')}?{self.kind}={self.pk}"

    @property
    def spans_json(self) -> str:
        """The passages of the notes shown, for annotate.js to mark after an htmx swap."""
        spans = [[n.start, n.end] for n in self.notes if n.start is not None and n.end]
        return json.dumps(spans)


def region_of(note: Annotation) -> Region:
    if note.link_id:
        return Region("link", note.link_id)
    return Region("paragraph", note.paragraph_id)


def open_region(user, kind: str, pk: int) -> Region:
    notes = notes_visible_to(user).filter(**{kind: pk}).select_related("author")
    return Region(kind, pk, list(notes), open=True)


def visible_link(user, pk: int) -> Link:
    """A link of a comparison `user` may open; 404 otherwise."""
    return get_object_or_404(
        Link.objects.select_related("left__statement", "right__statement", "comparison").filter(
            comparison__in=Comparison.objects.visible_to(user)
        ),
        pk=pk,
    )


def target_from(request: HttpRequest, data) -> tuple[Paragraph | None, Link | None]:
    """The paragraph or link a new note is about, from ?paragraph=<id> or ?link=<id>."""
    paragraph_id, link_id = data.get("paragraph", ""), data.get("link", "")
    if is_id(paragraph_id) and not link_id:
        paragraph = get_object_or_404(
            Paragraph.objects.select_related("statement"), pk=paragraph_id
        )
        return paragraph, None
    if is_id(link_id) and not paragraph_id:
        return None, visible_link(request.user, int(link_id))
    raise BadRequest("Say what the note is about: ?paragraph=<id> or ?link=<id>.")


def is_id(value: str) -> bool:
    """A database id: digits only, and few enough to be one (no 5,000-digit numbers)."""
    return value.isascii() and value.isdigit() and len(value) <= 18


def visible_note(request: HttpRequest, pk: int) -> Annotation:
    """A note this user may see (404 otherwise: a private note's existence stays secret).

    A note on a link is seen only by those who may open the link's comparison.
    """
    comparisons = Comparison.objects.visible_to(request.user)
    notes = notes_visible_to(request.user).filter(
        Q(link__isnull=True) | Q(link__comparison__in=comparisons)
    )
    return get_object_or_404(
        notes.select_related(
            "author",
            "paragraph__statement",
            "link__comparison",
            "link__left__statement",
            "link__right__statement",
        ),
        pk=pk,
    )


def own_note(request: HttpRequest, pk: int) -> Annotation:
    note = visible_note(request, pk)
    if not note.is_editable_by(request.user):
        raise PermissionDenied("Only its author can change a note.")
    return note


def after_change(request: HttpRequest, note: Annotation, done: str) -> HttpResponse:
    """htmx gets the target's notes again, open; a plain form post goes to the notes page."""
    region = region_of(note)
    if not request.htmx:
        messages.success(request, done)
        return redirect(region.list_url)
    region = open_region(request.user, region.kind, region.pk)
    response = render(request, "statements/annotations/_notes.html", {"region": region})
    return swap_into(response, f"#{region.dom_id}")


def swap_into(response: HttpResponse, selector: str) -> HttpResponse:
    """Tell htmx to put this answer in place of `selector`, whatever the request targeted."""
    return reswap(retarget(response, selector), "outerHTML")


def render_form(
    request: HttpRequest, form: AnnotationForm, note: Annotation, *, status: int = 200
) -> HttpResponse:
    template = "statements/annotations/form.html"
    if request.htmx:
        template += "#form"
        status = 200  # htmx swaps only 2xx answers: the errors must reach the reader
    context = {"form": form, "note": note, "region": region_of(note)}
    return render(request, template, context, status=status)


# --- Views ---------------------------------------------------------------------------------


@require_GET
def paragraph_annotations(request: HttpRequest, pk: int) -> HttpResponse:
    paragraph = get_object_or_404(Paragraph.objects.select_related("statement__source"), pk=pk)
    region = open_region(request.user, "paragraph", paragraph.pk)
    template = "statements/annotations/paragraph.html"
    template += "#notes" if request.htmx else ""
    return render(request, template, {"paragraph": paragraph, "region": region})


@require_GET
def link_annotations(request: HttpRequest, pk: int) -> HttpResponse:
    link = visible_link(request.user, pk)
    region = open_region(request.user, "link", link.pk)
    template = "statements/annotations/link.html"
    template += "#notes" if request.htmx else ""
    return render(request, template, {"link": link, "region": region})


@require_GET
def annotation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A note's own URL (its id in the JSON-LD): htmx gets the note, a browser its paragraph's."""
    note = visible_note(request, pk)
    if request.htmx:
        return render(request, "statements/annotations/_note.html", {"note": note})
    return redirect(f"{region_of(note).list_url}#note-{note.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def annotation_new(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    paragraph, link = target_from(request, data)
    note = Annotation(author=request.user, paragraph=paragraph, link=link)
    auto_id = f"new-{region_of(note).dom_id}-%s"
    if request.method == "GET":
        selection = {key: data[key] for key in ("exact", "start", "end") if key in data}
        form = AnnotationForm(instance=note, initial=selection, auto_id=auto_id)
        return render_form(request, form, note)
    form = AnnotationForm(request.POST, instance=note, auto_id=auto_id)
    if not form.is_valid():
        return render_form(request, form, note, status=400)
    form.save()
    return after_change(request, note, "Your note is saved.")


@login_required
@require_http_methods(["GET", "POST"])
def annotation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    note = own_note(request, pk)
    auto_id = f"note-{note.pk}-%s"
    if request.method == "GET":
        return render_form(request, AnnotationForm(instance=note, auto_id=auto_id), note)
    form = AnnotationForm(request.POST, instance=note, auto_id=auto_id)
    if not form.is_valid():
        return render_form(request, form, note, status=400)
    form.save()
    return after_change(request, note, "Your note is updated.")


@login_required
@require_POST
def annotation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    note = own_note(request, pk)
    note.delete()
    return after_change(request, note, "Your note is deleted.")


@login_required
@require_POST
def annotation_hide(request: HttpRequest, pk: int) -> HttpResponse:
    """A moderator hides a public note from everyone but its author (or shows it again)."""
    if not request.user.is_staff:
        raise PermissionDenied("Only moderators can hide notes.")
    note = visible_note(request, pk)
    form = HideForm(request.POST)
    if not form.is_valid():
        if request.htmx:
            context = {"note": note, "hide_form": form}
            response = render(request, "statements/annotations/_note.html", context)
            return swap_into(response, f"#note-{note.pk}")
        messages.error(request, "The note was not hidden: say why, the author will read it.")
        return redirect(f"{region_of(note).list_url}#note-{note.pk}")
    note.hidden = form.cleaned_data["hidden"]
    note.hidden_reason = form.cleaned_data["reason"] if note.hidden else ""
    note.save(update_fields=["hidden", "hidden_reason"])
    return after_change(
        request, note, "Note hidden from readers." if note.hidden else "Note shown again."
    )


# --- W3C Web Annotation export -------------------------------------------------------------

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
JSONLD_CONTENT_TYPE = f'application/ld+json; profile="{ANNO_CONTEXT}"'


def web_annotation(note: Annotation, absolute) -> dict:
    """One note as a W3C Web Annotation; `absolute` turns a path into an absolute URL."""
    bodies = [
        {
            "type": "TextualBody",
            "value": note.body,
            "format": "text/markdown",
            "purpose": "commenting",
        }
    ]
    bodies += [{"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in note.tags]
    if note.link_id:
        target = [
            {"source": absolute(note.link.left.get_absolute_url())},
            {"source": absolute(note.link.right.get_absolute_url())},
        ]
    else:
        target = {"source": absolute(note.paragraph.get_absolute_url())}
        if note.start is not None:
            target["selector"] = [
                {
                    "type": "TextQuoteSelector",
                    "exact": note.exact,
                    "prefix": note.prefix,
                    "suffix": note.suffix,
                },
                {"type": "TextPositionSelector", "start": note.start, "end": note.end},
            ]
    return {
        "id": absolute(reverse("annotation_detail", args=[note.pk])),
        "type": "Annotation",
        "motivation": "linking" if note.link_id else "commenting",
        "created": note.created_at.isoformat(),
        "modified": note.updated_at.isoformat(),
        "creator": {"type": "Person", "nickname": note.author.get_username()},
        "body": bodies,
        "target": target,
    }


def jsonld_error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@require_GET
def annotations_jsonld(request: HttpRequest) -> JsonResponse:
    """/annotations.jsonld?statement=<slug> or ?comparison=<key>: an AnnotationCollection.

    Only what the requester may see: public notes not hidden, and their own.
    """
    slug, key = request.GET.get("statement", ""), request.GET.get("comparison", "")
    if bool(slug) == bool(key):
        return jsonld_error(
            400, "Ask for one statement (?statement=<slug>) or one comparison (?comparison=<key>)."
        )
    notes = Annotation.objects.visible_to(request.user).select_related(
        "author", "paragraph__statement", "link__left__statement", "link__right__statement"
    )
    if slug:
        statement = Statement.objects.filter(slug=slug).first()
        if statement is None:
            return jsonld_error(404, f"No statement is called “{slug}”.")
        notes = notes.filter(paragraph__statement=statement)
        label = f"Notes on “{statement.title}”"
    else:
        comparison = Comparison.objects.visible_to(request.user).filter(key=key).first()
        if comparison is None:
            return jsonld_error(404, "No comparison you may open has that key.")
        notes = notes.filter(
            Q(paragraph__statement__in=[comparison.left_id, comparison.right_id])
            | Q(link__comparison=comparison)
        )
        label = f"Notes on “{comparison.title}”"
    items = [web_annotation(note, request.build_absolute_uri) for note in notes]
    collection_id = request.build_absolute_uri()
    document = {
        "@context": ANNO_CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": label,
        "total": len(items),
        "first": {
            "id": f"{collection_id}#page-1",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    }
    return JsonResponse(
        document, content_type=JSONLD_CONTENT_TYPE, json_dumps_params={"ensure_ascii": False}
    )
