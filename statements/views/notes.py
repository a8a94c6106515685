"""Readers' notes on paragraphs (optionally on a quoted passage) and on links between them.

Who sees what is `Annotation.objects.visible_to` (pages) and `exported_to` (JSON-LD); who
may change a note is `Annotation.is_editable_by`. The views check both, whatever the
templates show.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from statements.forms import AnnotationForm, HideForm
from statements.models import Annotation, Comparison, Link, Paragraph, Statement
from statements.notes import Region
from statements.services import exports


def visible_link(user, key: str, pk: int) -> Link:
    """A link of the comparison called `key`, if `user` may open it; 404 otherwise. The key
    is asked for even when the id would do: link ids are sequential, keys are not."""
    return get_object_or_404(
        Link.objects.select_related("left__statement", "right__statement", "comparison").filter(
            comparison__in=Comparison.objects.visible_to(user), comparison__key=key
        ),
        pk=pk,
    )


def target_from(request: HttpRequest, data) -> tuple[Paragraph | None, Link | None]:
    """The paragraph or link a new note is about, from ?paragraph=<id> or
    ?link=<id>&comparison=<key>."""
    paragraph_id, link_id = data.get("paragraph", ""), data.get("link", "")
    key = data.get("comparison", "")
    if is_id(paragraph_id) and not link_id:
        paragraph = get_object_or_404(
            Paragraph.objects.select_related("statement"), pk=paragraph_id
        )
        return paragraph, None
    if is_id(link_id) and not paragraph_id and key:
        return None, visible_link(request.user, key, int(link_id))
    raise BadRequest("Say what the note is about: ?paragraph=<id>, or ?link=<id>&comparison=<key>.")


def is_id(value: str) -> bool:
    """A database id: digits only, and few enough to be one (no 5,000-digit numbers)."""
    return value.isascii() and value.isdigit() and len(value) <= 18


def visible_note(request: HttpRequest, pk: int) -> Annotation:
    """A note this user may see (404 otherwise: a private note's existence stays secret).

    A note on a link is seen only by those who may open the link's comparison, and, since
    note ids are sequential, only when that comparison is public or theirs, when the note is
    theirs, or when the request names the comparison's key (?comparison=<key>): an unlisted
    comparison is found by no one who was not given its key.
    """
    user = request.user
    reachable = Q(link__comparison__in=Comparison.objects.reachable_without_key(user))
    if key := request.GET.get("comparison", ""):
        reachable |= Q(link__comparison__key=key)
    if user.is_authenticated:
        reachable |= Q(author=user)
    on_link = Q(link__comparison__in=Comparison.objects.visible_to(user)) & reachable
    notes = Annotation.objects.visible_to(user).filter(Q(link__isnull=True) | on_link)
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
    region = Region.of(note)
    if not request.htmx:
        messages.success(request, done)
        return redirect(region.list_url)
    region = Region.opened(request.user, region.kind, region.pk, region.key)
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
    context = {"form": form, "note": note, "region": Region.of(note)}
    return render(request, template, context, status=status)


# --- Views ---------------------------------------------------------------------------------


@require_GET
def paragraph_annotations(request: HttpRequest, pk: int) -> HttpResponse:
    paragraph = get_object_or_404(Paragraph.objects.select_related("statement__source"), pk=pk)
    region = Region.opened(request.user, "paragraph", paragraph.pk)
    template = "statements/annotations/paragraph.html"
    template += "#notes" if request.htmx else ""
    return render(request, template, {"paragraph": paragraph, "region": region})


@require_GET
def link_annotations(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    link = visible_link(request.user, key, pk)
    region = Region.opened(request.user, "link", link.pk, key)
    template = "statements/annotations/link.html"
    template += "#notes" if request.htmx else ""
    return render(request, template, {"link": link, "region": region})


@require_GET
def annotation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A note's own URL (its id in the JSON-LD): htmx gets the note, a browser its paragraph's."""
    note = visible_note(request, pk)
    region = Region.of(note)
    if request.htmx:
        context = {"note": note, "region": region}
        return render(request, "statements/annotations/_note.html", context)
    return redirect(f"{region.list_url}#note-{note.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def annotation_new(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    paragraph, link = target_from(request, data)
    note = Annotation(author=request.user, paragraph=paragraph, link=link)
    auto_id = f"new-{Region.of(note).dom_id}-%s"
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
            context = {"note": note, "hide_form": form, "region": Region.of(note)}
            response = render(request, "statements/annotations/_note.html", context)
            return swap_into(response, f"#note-{note.pk}")
        messages.error(request, "The note was not hidden: say why, the author will read it.")
        return redirect(f"{Region.of(note).list_url}#note-{note.pk}")
    note.moderate(hidden=form.cleaned_data["hidden"], reason=form.cleaned_data["reason"])
    return after_change(
        request, note, "Note hidden from readers." if note.hidden else "Note shown again."
    )


# --- W3C Web Annotation export -------------------------------------------------------------


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
    notes = Annotation.objects.exported_to(request.user).select_related(
        "author",
        "paragraph__statement",
        "link__comparison",
        "link__left__statement",
        "link__right__statement",
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
        notes = notes.about_comparison(comparison)
        label = f"Notes on “{comparison.title}”"
    document = exports.annotation_collection(
        notes,
        label=label,
        collection_id=request.build_absolute_uri(),
        absolute=request.build_absolute_uri,
    )
    return JsonResponse(
        document,
        content_type=exports.JSONLD_CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )
