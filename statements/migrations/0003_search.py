"""Full-text search: a tsvector column, its GIN index and unaccented text search
configurations on PostgreSQL; an FTS5 table of stems and its delete trigger on SQLite.

None of it is in Django's model state (it is vendor-specific): statements.search owns it.
Existing paragraphs are indexed here, as `manage.py reindex_search` would.
"""

from django.db import migrations

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS parallax_fr",
    "CREATE TEXT SEARCH CONFIGURATION parallax_fr (COPY = french)",
    "ALTER TEXT SEARCH CONFIGURATION parallax_fr"
    " ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS parallax_en",
    "CREATE TEXT SEARCH CONFIGURATION parallax_en (COPY = english)",
    "ALTER TEXT SEARCH CONFIGURATION parallax_en"
    " ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem",
    "ALTER TABLE statements_paragraph ADD COLUMN IF NOT EXISTS search_document tsvector",
    "CREATE INDEX IF NOT EXISTS statements_paragraph_search_gin"
    " ON statements_paragraph USING gin (search_document)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS statements_paragraph_search_gin",
    "ALTER TABLE statements_paragraph DROP COLUMN IF EXISTS search_document",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS parallax_fr",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS parallax_en",
]
SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS statements_paragraph_fts"
    ' USING fts5(fr, en, tokenize="unicode61 remove_diacritics 2")',
    "CREATE TRIGGER IF NOT EXISTS statements_paragraph_fts_delete"
    " AFTER DELETE ON statements_paragraph"
    " BEGIN DELETE FROM statements_paragraph_fts WHERE rowid = old.id; END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS statements_paragraph_fts_delete",
    "DROP TABLE IF EXISTS statements_paragraph_fts",
]


def _run(schema_editor, statements):
    for sql in statements:
        schema_editor.execute(sql, params=None)


def create_search_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, POSTGRES)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE)
    else:
        return
    from statements import search

    search.reindex(schema_editor.connection)


def drop_search_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, POSTGRES_REVERSE)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_REVERSE)


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0002_comparisons_links_annotations"),
    ]

    operations = [
        migrations.RunPython(create_search_index, drop_search_index),
    ]
