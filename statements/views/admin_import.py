"""The admin's "Import statements" page: upload or paste, preview and correct, then import.

Between the preview and the confirmation the uploaded bytes travel in one hidden field,
signed (`forms.imports.Batch`): the server keeps no state. On confirmation each file is
parsed once, staff's corrections (title, date, source, paragraph kinds by position) are
checked and applied to that parse, and it is imported. What the browser shows of the parse
is never read back.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.views.decorators.http import require_http_methods

from statements.forms.imports import Batch, CorrectionForm, ImportForm
from statements.models import Statement
from statements.services import imports

from . import partial

TEMPLATE = "admin/statements/statement/import.html"


@dataclass
class PreviewEntry:
    """One file of the preview: what parsing gives, and its corrections form when it can be
    imported (not when it fails, or its text is stored already or earlier in the batch)."""

    index: int
    preview: imports.ImportPreview
    form: CorrectionForm | None = None
    same_as: str = ""  # the name of the first file of the batch with the same text


def preview_entries(batch: Batch, user, data=None) -> list[PreviewEntry]:
    """Each file parsed once, as its import will use it; `data` binds the corrections forms."""
    entries = []
    previews = imports.preview_batch(batch.files, language=batch.language or None)
    for index, preview in enumerate(previews):
        entry = PreviewEntry(index, preview)
        if preview.same_as is not None:
            entry.same_as = batch.files[preview.same_as][0]
        elif preview.importable:
            entry.form = CorrectionForm(
                data, prefix=f"file{index}", parsed=preview.parsed, batch=batch, user=user
            )
        entries.append(entry)
    return entries


@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest, model_admin) -> HttpResponse:
    """Upload (GET, then POST) -> preview; POST with the signed batch -> import and results.

    htmx requests get only the #preview partial of the page.
    """
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Statement._meta,
        "title": "Import statements",
        "form": ImportForm(user=request.user),
    }
    if request.method == "POST" and "batch" in request.POST:
        context.update(_confirm(request))
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES, user=request.user)
        context["form"] = form
        if form.is_valid():
            context.update(_preview(request, form))
    return render(request, partial(request, TEMPLATE, "preview"), context)


def _preview(request: HttpRequest, form: ImportForm) -> dict:
    batch = form.batch()
    token = batch.sign(request.user)
    # The confirmation sends the batch back in one field, which Django caps.
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is not None and len(token) > limit - 64 * 1024:
        form.add_error(
            None,
            f"These texts are too much to preview at once ({filesizeformat(len(token))} once "
            f"packed, over the {filesizeformat(limit)} a confirmation may send). Import "
            "fewer files at a time, or use the import_statements command.",
        )
        return {}
    return {"entries": preview_entries(batch, request.user), "batch_token": token}


def _confirm(request: HttpRequest) -> dict:
    try:
        batch = Batch.unsign(request.POST["batch"], request.user)
    except signing.BadSignature:
        return {
            "expired": "This preview has expired or was changed. Upload the files again; "
            "nothing was imported."
        }
    entries = preview_entries(batch, request.user, request.POST)
    if not all(entry.form.is_valid() for entry in entries if entry.form is not None):
        return {"entries": entries, "batch_token": request.POST["batch"]}
    outcomes = imports.import_batch(
        [entry.preview for entry in entries],
        batch.choices(),
        corrections={
            entry.index: (entry.form.cleaned_data["source"], entry.form.corrections())
            for entry in entries
            if entry.form is not None
        },
        imported_by=request.user,
    )
    return {"outcomes": outcomes}
