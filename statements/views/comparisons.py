"""Saved comparisons: save, curate links, share by key, list, moderate."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from statements.forms import (
    CompareOptionsForm,
    ComparisonForm,
    HideForm,
    LinkUpdateForm,
    ManualLinkForm,
)
from statements.models import Annotation, Comparison, Link
from statements.services import comparing, curation, exports

from . import partial
from .compare import (
    ALIGNING,
    NotLinked,
    aligning_response,
    columns_context,
    not_linked,
    panel_context,
    render_panel,
)

TEMPLATE = "statements/compare.html"


def visible_comparison(request: HttpRequest, key: str) -> Comparison:
    """The comparison if this user may see it; 404 otherwise (private ones stay secret)."""
    return get_object_or_404(
        Comparison.objects.visible_to(request.user).select_related(
            "owner", "left__source", "right__source"
        ),
        key=key,
    )


def owned_comparison(request: HttpRequest, key: str) -> Comparison:
    comparison = visible_comparison(request, key)
    if not comparison.is_editable_by(request.user):
        raise PermissionDenied("Only the owner can change this comparison.")
    return comparison


def manual_link_form(pair: comparing.Pair, data=None) -> ManualLinkForm:
    """A reader's own link, between body paragraphs of the two sides."""
    return ManualLinkForm(
        data,
        left_paragraphs=[p for p in pair.left_paragraphs if p.is_body],
        right_paragraphs=[p for p in pair.right_paragraphs if p.is_body],
    )


def comparison_context(request: HttpRequest, comparison: Comparison, **forms) -> dict:
    pair = comparing.load_pair(comparison.left.slug, comparison.right.slug)
    result = comparing.compare_pair(pair, threshold=comparison.threshold)
    options = CompareOptionsForm.from_query(request.GET)
    _, show_all = options.options()
    links = curation.saved_links(comparison, pair, result)
    can_edit = comparison.is_editable_by(request.user)
    page_url = comparison.get_absolute_url()
    context = {
        **columns_context(
            request,
            pair,
            result,
            links,
            show_all=show_all,
            pairs_url=f"{page_url}pairs/",
            can_edit=can_edit,
            updated=comparison.updated_at,
            link_notes=Annotation.objects.visible_to(request.user)
            .filter(link__in=[link.pk for link in links if link.pk])
            .grouped_by("link_id"),
        ),
        "page_url": page_url,
        "confirmed_count": sum(link.state == Link.State.CONFIRMED for link in links),
        "options": options,
        "comparison": comparison,
        "can_edit": can_edit,
        "link_relations": Link.Relation.choices,
    }
    if can_edit:
        context["edit_form"] = forms.get("edit_form") or ComparisonForm(instance=comparison)
        context["link_form"] = forms.get("link_form") or manual_link_form(pair)
    if request.user.is_staff:
        context["hide_form"] = HideForm(initial={"reason": comparison.hidden_reason})
    return context


@require_GET
@vary_on_headers("HX-Request")
def comparison_detail(request: HttpRequest, key: str) -> HttpResponse:
    comparison = visible_comparison(request, key)
    context = comparison_context(request, comparison)
    return render(request, partial(request, TEMPLATE, "columns"), context)


def comparison_pair_context(
    request: HttpRequest, comparison: Comparison, positions: tuple[int, int]
) -> dict:
    """The panel of one of a comparison's links, with its notes and, for the owner, its
    curation controls."""
    pair = comparing.load_pair(comparison.left.slug, comparison.right.slug)
    result = comparing.compare_pair(pair, threshold=comparison.threshold)
    page_url = comparison.get_absolute_url()
    context = panel_context(
        pair,
        result,
        curation.saved_links(comparison, pair, result),
        positions,
        page_url=page_url,
        pairs_url=f"{page_url}pairs/",
    )
    link = context["pair_view"].link
    return {
        **context,
        "comparison": comparison,
        "can_edit": comparison.is_editable_by(request.user),
        "link_relations": Link.Relation.choices,
        "link_notes": Annotation.objects.visible_to(request.user).filter(link=link.pk),
    }


@require_GET
@vary_on_headers("HX-Request")
def comparison_pair(
    request: HttpRequest, key: str, left_position: int, right_position: int
) -> HttpResponse:
    """One link of a saved comparison: the panel (htmx), or a page of its own."""
    comparison = visible_comparison(request, key)
    try:
        context = comparison_pair_context(request, comparison, (left_position, right_position))
    except NotLinked as exc:
        return not_linked(request, exc)
    return render_panel(request, context)


@require_GET
def comparison_json(request: HttpRequest, key: str) -> JsonResponse:
    comparison = visible_comparison(request, key)
    pair = comparing.load_pair(comparison.left.slug, comparison.right.slug)
    result = comparing.compare_pair(pair, threshold=comparison.threshold)
    if result.pending:
        return aligning_response()
    links = curation.saved_links(comparison, pair, result)
    # Only public notes: an export is shared further than the page it came from.
    public_notes = (
        Annotation.objects.public()
        .about_comparison(comparison)
        .select_related("author", "paragraph", "link__left", "link__right")
    )
    document = exports.saved_comparison_document(comparison, pair, result, links, public_notes)
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False})


@login_required
@require_POST
def comparison_save(request: HttpRequest, left: str, right: str) -> HttpResponse:
    pair = comparing.load_pair(left, right)
    form = ComparisonForm(request.POST)
    threshold, _ = CompareOptionsForm.from_query(request.POST).options()
    if not form.is_valid():
        errors = form.errors
        problem = "it needs a title." if "title" in errors else next(iter(errors.values()))[0]
        messages.error(request, f"The comparison was not saved: {problem}")
        return redirect("compare", left, right)
    result = comparing.compare_pair(pair, threshold=threshold)
    if result.pending:  # its suggestions are not there yet
        messages.error(request, f"Not saved yet: {ALIGNING[0].lower()}{ALIGNING[1:]}")
        return redirect("compare", left, right)
    comparison = curation.save_comparison(
        pair, result, owner=request.user, threshold=threshold, **form.cleaned_data
    )
    messages.success(request, "Saved. Confirm, reject or retype each link; share the link.")
    return redirect(comparison)


@login_required
@require_POST
def comparison_edit(request: HttpRequest, key: str) -> HttpResponse:
    comparison = owned_comparison(request, key)
    form = ComparisonForm(request.POST, instance=comparison)
    if form.is_valid():
        form.save()
        messages.success(request, "Comparison updated.")
        return redirect(comparison)
    context = comparison_context(request, comparison, edit_form=form)
    return render(request, TEMPLATE, context, status=400)


@login_required
@require_POST
def comparison_delete(request: HttpRequest, key: str) -> HttpResponse:
    comparison = owned_comparison(request, key)
    comparison.delete()
    messages.success(request, f"“{comparison.title}” was deleted.")
    return redirect("my_comparisons")


@login_required
@require_POST
def comparison_hide(request: HttpRequest, key: str) -> HttpResponse:
    if not request.user.is_staff:
        raise PermissionDenied("Only moderators can hide comparisons.")
    comparison = visible_comparison(request, key)
    form = HideForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the comparison is hidden.")
        return redirect(comparison)
    comparison.moderate(hidden=form.cleaned_data["hidden"], reason=form.cleaned_data["reason"])
    messages.success(request, "Hidden from readers." if comparison.hidden else "Shown again.")
    return redirect(comparison)


def _after_link_change(request: HttpRequest, comparison: Comparison, link: Link) -> HttpResponse:
    """What a reader sees after confirming, rejecting or retyping a link.

    htmx gets the panel or pair card the form was in, and, out of band, the marks of both
    paragraphs, the summary and the pair card: the columns stay where they are. A plain
    form post goes back to the pair's own page, or to the pair in the comparison.
    """
    shown_in = request.POST.get("shown_in", "")
    if not request.htmx:
        if shown_in == "page":
            return redirect(link_page_url(comparison, link))
        return redirect(f"{comparison.get_absolute_url()}#{link.anchor}")
    positions = (link.left.position, link.right.position)
    context = comparison_context(request, comparison)
    reading = context["reading"]
    context |= {
        "shown_in": "panel" if shown_in == "panel" else "card",
        "curated_cells": [reading.cell("l", positions[0]), reading.cell("r", positions[1])],
        "curated_card": next(card for card in reading.cards if card.link.pk == link.pk),
        "cards_key": None,
    }
    if shown_in == "panel":
        context |= comparison_pair_context(request, comparison, positions) | {"shown_in": "panel"}
    return render(request, f"{TEMPLATE}#curated", context)


def link_page_url(comparison: Comparison, link: Link) -> str:
    return reverse(
        "comparison_pair", args=[comparison.key, link.left.position, link.right.position]
    )


@login_required
@require_POST
def link_update(request: HttpRequest, key: str, link_id: int) -> HttpResponse:
    comparison = owned_comparison(request, key)
    link = get_object_or_404(comparison.links.select_related("left", "right"), pk=link_id)
    form = LinkUpdateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose confirmed, rejected or suggested, or a relation.")
        return redirect(f"{comparison.get_absolute_url()}#{link.anchor}")
    curation.update_link(link, **form.cleaned_data)
    return _after_link_change(request, comparison, link)


@login_required
@require_POST
def link_add(request: HttpRequest, key: str) -> HttpResponse:
    """A reader's own link. htmx gets the columns again, with the new link drawn (or the
    form's errors, with a 200 so that htmx shows them); a plain post goes to the pair."""
    comparison = owned_comparison(request, key)
    pair = comparing.load_pair(comparison.left.slug, comparison.right.slug)
    form = manual_link_form(pair, request.POST)
    if not form.is_valid():
        context = comparison_context(request, comparison, link_form=form)
        status = 200 if request.htmx else 400
        return render(request, partial(request, TEMPLATE, "columns"), context, status=status)
    left = next(p for p in pair.left_paragraphs if p.position == form.cleaned_data["left"])
    right = next(p for p in pair.right_paragraphs if p.position == form.cleaned_data["right"])
    link = curation.add_manual_link(
        comparison, left, right, form.cleaned_data["relation"], request.user
    )
    if request.htmx:
        context = comparison_context(request, comparison)
        return render(request, partial(request, TEMPLATE, "columns"), context)
    return redirect(f"{comparison.get_absolute_url()}#{link.anchor}")


@login_required
@require_GET
def my_comparisons(request: HttpRequest) -> HttpResponse:
    comparisons = request.user.comparisons.select_related("left__source", "right__source")
    return render(
        request,
        "statements/comparison_list.html",
        {"comparisons": comparisons, "heading": "My comparisons", "mine": True},
    )


@require_GET
def public_comparisons(request: HttpRequest) -> HttpResponse:
    comparisons = Comparison.objects.listed().select_related(
        "owner", "left__source", "right__source"
    )
    return render(
        request,
        "statements/comparison_list.html",
        {"comparisons": comparisons, "heading": "Shared comparisons", "mine": False},
    )
