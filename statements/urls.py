from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("statements/", views.statement_list, name="statement_list"),
    path("statements/<slug:slug>/", views.statement_detail, name="statement_detail"),
    path("sources/<slug:slug>/", views.source_detail, name="source_detail"),
    path("events/<slug:slug>/", views.event_detail, name="event_detail"),
    path("compare/", views.compare_pick, name="compare_pick"),
    path("compare/<slug:left>/<slug:right>/", views.compare, name="compare"),
    path("compare/<slug:left>/<slug:right>.json", views.compare_json, name="compare_json"),
]
