"""Writing the index: a new statement's paragraphs with their index rows, re-indexing."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection as default_connection
from django.db import transaction

from statements.models import Statement
from statements.terms import paragraph_terms

from .backends import ParagraphRow, backend_for


def insert_paragraphs(
    statement: Statement,
    rows: Sequence[ParagraphRow],
    *,
    terms: Sequence[bytes] | None = None,
    connection=None,
) -> list[int]:
    """Write a new statement's paragraphs, numbered from 1 in the order given, with their
    counted `terms` (statements.terms; counted here when not given), and index them;
    returns their ids in that order. One query on PostgreSQL; a bulk insert and the index
    rows on SQLite. No model instance is made where none is needed: an import writes
    thousands of paragraphs a second."""
    rows = list(rows)
    if terms is None:
        terms = [paragraph_terms(row.text, row.language or statement.language) for row in rows]
    connection = connection or default_connection
    with transaction.atomic(using=connection.alias, savepoint=False):
        return backend_for(connection).insert(connection, statement, rows, list(terms))


def index_statement(statement: Statement, *, connection=None) -> int:
    """(Re)index the paragraphs of one statement; call it after writing them. One or two
    statements on PostgreSQL (an UPDATE), four on SQLite. Returns the paragraphs indexed."""
    connection = connection or default_connection
    with transaction.atomic(using=connection.alias, savepoint=False):
        return backend_for(connection).index(connection, [statement.pk])


def reindex(connection=None) -> int:
    """Rebuild the index of every paragraph; returns how many were indexed."""
    connection = connection or default_connection
    # One transaction: SQLite would otherwise commit (and sync) every row.
    with transaction.atomic(using=connection.alias, savepoint=False):
        return backend_for(connection).index(connection)
