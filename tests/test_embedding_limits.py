"""The encoder's memory is bounded whatever the paragraph, and storing vectors stays under the
databases' variable limits whatever their number (finding 4 of issue 11)."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from statements import embeddings
from statements.models import Paragraph, ParagraphVector
from statements.services import vectors

from .conftest import make_statement


def test_the_encoder_reads_a_long_paragraph_up_to_a_word_boundary():
    short = "Les Alliés condamnent les référendums. " * 10
    assert embeddings.encoder_text(short) == short
    long = "annexion " * 2000
    read = embeddings.encoder_text(long)
    assert len(read) <= embeddings.MAX_CHARS and long.startswith(read)
    assert read.endswith("annexion")  # cut between words
    assert embeddings.encoder_text("x" * 10_000) == "x" * embeddings.MAX_CHARS  # no space


def test_a_2_mb_paragraph_is_embedded_in_bounded_memory():
    """7.4 GB before: the encoder kept a row of features per token of the whole text."""
    pytest.importorskip(embeddings.MODULE)
    embeddings.embed(["warm up the model"])  # its weights are loaded once per process
    huge = " ".join(f"territoire{n}" for n in range(200_000))[: 2 * 1024 * 1024]
    tracemalloc.start()
    try:
        [vector] = embeddings.embed([huge])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 200 * 1024 * 1024
    assert vector.shape == (embeddings.DIMENSIONS,)
    assert np.isclose(np.linalg.norm(vector), 1.0, atol=1e-4)
    [beginning] = embeddings.embed([embeddings.encoder_text(huge)])
    assert np.allclose(vector, beginning, atol=1e-5)


@pytest.mark.django_db
def test_storing_vectors_never_sends_more_variables_than_a_slice(monkeypatch):
    """500,000 bullets once crashed import_statements on SQLite ("too many SQL variables"):
    old rows are deleted, and new ones inserted, a slice at a time, whatever their number."""
    monkeypatch.setattr(vectors, "STORE_BATCH", 7)
    statement = make_statement(paragraphs=[f"Point {n}." for n in range(50)])
    paragraphs = list(Paragraph.objects.filter(statement=statement).only("pk", "text"))
    zeros = np.zeros((len(paragraphs), embeddings.DIMENSIONS), dtype=np.float32)
    for _ in range(2):  # the second time replaces every stored row
        with CaptureQueriesContext(connection) as queries:
            vectors.store(vectors.vectors_to_store(paragraphs, zeros))
        deletes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("DELETE")]
        assert deletes and all(sql.count(",") < 7 for sql in deletes if " IN (" in sql)
    assert ParagraphVector.objects.filter(paragraph__statement=statement).count() == 50
