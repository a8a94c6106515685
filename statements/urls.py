from __future__ import annotations

from django.urls import path

from . import annotating, curation, views

urlpatterns = [
    path("", views.home, name="home"),
    path("statements/", views.statement_list, name="statement_list"),
    path("statements/<slug:slug>/", views.statement_detail, name="statement_detail"),
    path("sources/<slug:slug>/", views.source_detail, name="source_detail"),
    path("events/<slug:slug>/", views.event_detail, name="event_detail"),
    path("search/", views.search, name="search"),
    path("compare/", views.compare_pick, name="compare_pick"),
    path("compare/<slug:left>/<slug:right>/", views.compare, name="compare"),
    path("compare/<slug:left>/<slug:right>.json", views.compare_json, name="compare_json"),
    path(
        "compare/<slug:left>/<slug:right>/save/", curation.comparison_save, name="comparison_save"
    ),
    path("c/<slug:key>/", curation.comparison_detail, name="comparison_detail"),
    path("c/<slug:key>.json", curation.comparison_json, name="comparison_json"),
    path("c/<slug:key>/edit/", curation.comparison_edit, name="comparison_edit"),
    path("c/<slug:key>/delete/", curation.comparison_delete, name="comparison_delete"),
    path("c/<slug:key>/hide/", curation.comparison_hide, name="comparison_hide"),
    path("c/<slug:key>/links/", curation.link_add, name="link_add"),
    path("c/<slug:key>/links/<int:link_id>/", curation.link_update, name="link_update"),
    path("comparisons/", curation.public_comparisons, name="public_comparisons"),
    path("me/comparisons/", curation.my_comparisons, name="my_comparisons"),
    path("annotations.jsonld", annotating.annotations_jsonld, name="annotations_jsonld"),
    path("annotations/new/", annotating.annotation_new, name="annotation_new"),
    path("annotations/<int:pk>/", annotating.annotation_detail, name="annotation_detail"),
    path("annotations/<int:pk>/edit/", annotating.annotation_edit, name="annotation_edit"),
    path("annotations/<int:pk>/delete/", annotating.annotation_delete, name="annotation_delete"),
    path("annotations/<int:pk>/hide/", annotating.annotation_hide, name="annotation_hide"),
    path(
        "paragraphs/<int:pk>/notes/",
        annotating.paragraph_annotations,
        name="paragraph_annotations",
    ),
    path("links/<int:pk>/notes/", annotating.link_annotations, name="link_annotations"),
]
