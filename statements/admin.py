from __future__ import annotations

from django.contrib import admin, messages
from django.db import router
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.urls import path
from django.utils.text import capfirst

from . import search
from .forms.accounts import AdminSignInForm
from .models import (
    Comparison,
    Event,
    FramingTerm,
    Paragraph,
    Source,
    Statement,
    related_count,
)
from .services import corpus, echoes, imports, lexicon
from .views import admin_import

# The admin's sign-in counts failures like the site's (statements/throttle.py).
admin.site.login_form = AdminSignInForm


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "statement_count"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        statements = related_count(Statement.objects.all(), "source")
        return super().get_queryset(request).annotate(statement_count=statements)

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
        statements = related_count(Statement.events.through.objects.all(), "event")
        return super().get_queryset(request).annotate(statement_count=statements)

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

    # Above this many paragraphs, the change page lists none inline (each is a form of five
    # fields): they are edited from the paragraphs' own admin list, filtered to the statement.
    INLINE_PARAGRAPHS = 300

    def get_queryset(self, request):
        # Subqueries, not GROUP BY: SQLite grouped by every column, 2 MB texts included.
        return (
            super()
            .get_queryset(request)
            .defer("original_text")  # loaded by the change page alone, when it shows it
            .annotate(
                paragraph_count=related_count(Paragraph.objects.all(), "statement"),
                comparison_count=related_count(Comparison.objects.all(), "left")
                + related_count(Comparison.objects.all(), "right"),
            )
        )

    def get_inlines(self, request, obj):
        if obj is not None and obj.paragraph_count > self.INLINE_PARAGRAPHS:
            return []
        return super().get_inlines(request, obj)

    def get_deleted_objects(self, objs, request):
        """What deleting `objs` deletes, counted by kind rather than listed one by one. Django's
        own page listed every paragraph, each fetched with its statement's 2 MB original text
        (select_related, for its label): it timed out on a statement at the cap."""
        collector = Collector(using=router.db_for_write(Statement), origin=objs)
        try:
            collector.collect(objs)
            blocking = []
        except ProtectedError as error:
            blocking = list(error.protected_objects)
        except RestrictedError as error:
            blocking = list(error.restricted_objects)
        model_count = {
            model._meta.verbose_name_plural: len(rows) for model, rows in collector.data.items()
        }
        for rows in collector.fast_deletes:
            name = rows.model._meta.verbose_name_plural
            model_count[name] = model_count.get(name, 0) + rows.count()
        models_deleted = {*collector.data, *(rows.model for rows in collector.fast_deletes)}
        perms_needed = {
            model._meta.verbose_name
            for model in models_deleted
            if self.admin_site.is_registered(model)
            and not self.admin_site.get_model_admin(model).has_delete_permission(request)
        }
        shown = [f"{capfirst(Statement._meta.verbose_name)}: {statement}" for statement in objs]
        shown += [f"{capfirst(name)}: {count:,}" for name, count in model_count.items() if count]
        protected = [
            f"{capfirst(row._meta.verbose_name)}: {row if isinstance(row, Comparison) else row.pk}"
            for row in blocking[:50]
        ]
        return shown, model_count, perms_needed, protected

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
        echoes.mark_stale(statements)
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
        echoes.mark_stale([form.instance])

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
        echoes.mark_stale([obj.statement])


@admin.register(FramingTerm)
class FramingTermAdmin(admin.ModelAdmin):
    """The framing lexicon: an edit is read by the next alignment, and makes the stored ones
    stale (the lexicon is in their content key)."""

    list_display = ["text", "language", "side", "concept", "kind", "updated_at"]
    list_filter = ["language", "side", "kind"]
    search_fields = ["text", "concept"]

    # The lexicon is editorial work: every staff member may edit it, no permission needed.
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        lexicon.forget()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        lexicon.forget()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        lexicon.forget()
