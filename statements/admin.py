from __future__ import annotations

from django.contrib import admin
from django.db.models import Count

from .models import Event, Paragraph, Source, Statement


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "statement_count"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(statement_count=Count("statements"))

    @admin.display(description="Statements", ordering="statement_count")
    def statement_count(self, source: Source) -> int:
        return source.statement_count


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["name", "starts_on", "ends_on", "statement_count"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    date_hierarchy = "starts_on"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(statement_count=Count("statements"))

    @admin.display(description="Statements", ordering="statement_count")
    def statement_count(self, event: Event) -> int:
        return event.statement_count


class ParagraphInline(admin.TabularInline):
    model = Paragraph
    fields = ["position", "kind", "number", "language", "text"]
    ordering = ["position"]
    extra = 0


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "source",
        "published_on",
        "date_precision",
        "language",
        "paragraph_count",
    ]
    list_filter = ["source", "source__kind", "language", "events", "date_precision"]
    list_select_related = ["source"]
    search_fields = ["title", "paragraphs__text"]
    date_hierarchy = "published_on"
    filter_horizontal = ["events"]
    readonly_fields = [
        "content_hash",
        "imported_at",
        "imported_by",
        "source_filename",
        "import_warnings",
    ]
    inlines = [ParagraphInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "source", "events"]}),
        ("Date and language", {"fields": ["published_on", "date_precision", "language", "url"]}),
        (
            "Import",
            {
                "classes": ["collapse"],
                "fields": [
                    "original_text",
                    "content_hash",
                    "source_filename",
                    "import_warnings",
                    "imported_at",
                    "imported_by",
                ],
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(paragraph_count=Count("paragraphs"))

    @admin.display(description="Paragraphs", ordering="paragraph_count")
    def paragraph_count(self, statement: Statement) -> int:
        return statement.paragraph_count


@admin.register(Paragraph)
class ParagraphAdmin(admin.ModelAdmin):
    list_display = ["statement", "position", "kind", "number", "language", "excerpt"]
    list_filter = ["kind", "language", "statement__source"]
    list_select_related = ["statement"]
    search_fields = ["text", "statement__title"]
    raw_id_fields = ["statement"]
    ordering = ["statement", "position"]

    @admin.display(description="Text")
    def excerpt(self, paragraph: Paragraph) -> str:
        return paragraph.text[:120]
