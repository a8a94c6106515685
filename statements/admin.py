from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count
from django.urls import path

from . import search
from .models import Event, Paragraph, Source, Statement
from .services import corpus, imports
from .views import admin_import


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
        "comparison_count",
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
    actions = ["redetect_kinds"]
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
        return (
            super()
            .get_queryset(request)
            .annotate(
                paragraph_count=Count("paragraphs", distinct=True),
                comparison_count=Count("comparisons_as_left", distinct=True)
                + Count("comparisons_as_right", distinct=True),
            )
        )

    @admin.display(description="Paragraphs", ordering="paragraph_count")
    def paragraph_count(self, statement: Statement) -> int:
        return statement.paragraph_count

    @admin.display(description="Comparisons", ordering="comparison_count")
    def comparison_count(self, statement: Statement) -> int:
        return statement.comparison_count

    @admin.action(description="Re-detect kinds of the paragraphs", permissions=["change"])
    def redetect_kinds(self, request, queryset):
        statements = list(queryset.prefetch_related("paragraphs"))
        corpus.uncount(statements)  # body paragraphs may change
        changed = imports.redetect_kinds(statements)
        for statement in statements:
            corpus.recount(statement)
        self.message_user(
            request,
            f"Re-detected the kinds of {len(statements)} statement(s): "
            f"{changed} paragraph(s) changed kind.",
            messages.SUCCESS,
        )

    def save_model(self, request, obj, form, change):
        if change:  # counted out as stored before the edit; counted in again after it
            corpus.uncount([obj])
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Paragraph texts may have been edited inline: keep search finding what they say now.
        search.index_statement(form.instance)
        corpus.recount(form.instance)

    def delete_model(self, request, obj):
        corpus.delete([obj])

    def delete_queryset(self, request, queryset):
        corpus.delete(queryset)

    def get_urls(self):
        import_view = self.admin_site.admin_view(self.import_view)
        return [
            path("import/", import_view, name="statements_statement_import"),
            *super().get_urls(),
        ]

    def import_view(self, request):
        return admin_import.import_view(request, self)


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

    def get_readonly_fields(self, request, obj=None):
        # Moving a paragraph to another statement would break the links and notes on it.
        return ["statement", "position"] if obj else []

    def save_model(self, request, obj, form, change):
        corpus.uncount([obj.statement])
        super().save_model(request, obj, form, change)
        search.index_statement(obj.statement)
        corpus.recount(obj.statement)
