from __future__ import annotations

from django.urls import path

from .views import compare, comparisons, coverage, echoes, notes, pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("statements/", pages.statement_list, name="statement_list"),
    path("statements/<slug:slug>/", pages.statement_detail, name="statement_detail"),
    path(
        "statements/<slug:slug>/p<int:position>/echoes/",
        echoes.paragraph_echoes,
        name="paragraph_echoes",
    ),
    path("sources/<slug:slug>/", pages.source_detail, name="source_detail"),
    path("events/<slug:slug>/", pages.event_detail, name="event_detail"),
    path("events/<slug:slug>/coverage/", coverage.event_coverage, name="event_coverage"),
    path("events/<slug:slug>/coverage.csv", coverage.event_coverage_csv, name="event_coverage_csv"),
    path(
        "events/<slug:slug>/coverage.json", coverage.event_coverage_json, name="event_coverage_json"
    ),
    path("search/", pages.search, name="search"),
    path("compare/", compare.compare_pick, name="compare_pick"),
    path("compare/<slug:left>/<slug:right>/", compare.compare, name="compare"),
    path("compare/<slug:left>/<slug:right>.json", compare.compare_json, name="compare_json"),
    path(
        "compare/<slug:left>/<slug:right>/pairs/<int:left_position>-<int:right_position>/",
        compare.compare_pair,
        name="compare_pair",
    ),
    path(
        "compare/<slug:left>/<slug:right>/save/",
        comparisons.comparison_save,
        name="comparison_save",
    ),
    path("c/<slug:key>/", comparisons.comparison_detail, name="comparison_detail"),
    path("c/<slug:key>.json", comparisons.comparison_json, name="comparison_json"),
    path(
        "c/<slug:key>/pairs/<int:left_position>-<int:right_position>/",
        comparisons.comparison_pair,
        name="comparison_pair",
    ),
    path("c/<slug:key>/edit/", comparisons.comparison_edit, name="comparison_edit"),
    path("c/<slug:key>/delete/", comparisons.comparison_delete, name="comparison_delete"),
    path("c/<slug:key>/hide/", comparisons.comparison_hide, name="comparison_hide"),
    path("c/<slug:key>/links/", comparisons.link_add, name="link_add"),
    path("c/<slug:key>/links/<int:link_id>/", comparisons.link_update, name="link_update"),
    path("comparisons/", comparisons.public_comparisons, name="public_comparisons"),
    path("me/comparisons/", comparisons.my_comparisons, name="my_comparisons"),
    path("annotations.jsonld", notes.annotations_jsonld, name="annotations_jsonld"),
    path("annotations/new/", notes.annotation_new, name="annotation_new"),
    path("annotations/<int:pk>/", notes.annotation_detail, name="annotation_detail"),
    path("annotations/<int:pk>/edit/", notes.annotation_edit, name="annotation_edit"),
    path("annotations/<int:pk>/delete/", notes.annotation_delete, name="annotation_delete"),
    path("annotations/<int:pk>/hide/", notes.annotation_hide, name="annotation_hide"),
    path(
        "paragraphs/<int:pk>/notes/",
        notes.paragraph_annotations,
        name="paragraph_annotations",
    ),
    path("c/<slug:key>/links/<int:pk>/notes/", notes.link_annotations, name="link_annotations"),
]
