from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from statements import importing, search
from statements.models import Event, Paragraph, Source, Statement
from statements.services import imports

from .conftest import FIXTURES, SEEDS

pytestmark = pytest.mark.django_db


def run_import(*args) -> str:
    out = io.StringIO()
    call_command("import_statements", *map(str, args), stdout=out, stderr=out)
    return out.getvalue()


def test_seed_fixtures_import_with_their_header_metadata(seeded):
    assert set(seeded) == {"000", "001", "002", "003", "004"}
    assert seeded["000"].source.name == "NATO"
    assert seeded["000"].source.kind == Source.Kind.OFFICIAL
    assert str(seeded["000"].published_on) == "2022-09-22"
    assert seeded["001"].source.name == "RT (attributed)"
    assert seeded["001"].source.kind == Source.Kind.STATE_MEDIA
    assert seeded["003"].source.kind == Source.Kind.BLOG
    assert [e.slug for e in seeded["002"].events.all()] == ["nato-response-2022"]
    assert seeded["001"].events.get().slug == "referendums-2022"


def test_original_text_is_kept_exactly_as_imported(seeded):
    for prefix, statement in seeded.items():
        raw = next(FIXTURES.glob(f"statements/{prefix}-*.txt")).read_text(encoding="utf-8")
        assert statement.original_text == raw


def test_reimporting_the_same_text_is_a_no_op(seeded):
    before = (Statement.objects.count(), Paragraph.objects.count())
    output = run_import(FIXTURES / "statements")
    assert "imported 0, unchanged 5, failed 0" in output
    assert (Statement.objects.count(), Paragraph.objects.count()) == before


def test_the_same_text_under_another_header_is_not_a_duplicate(seeded):
    out = run_import(SEEDS / "002_1fd3cbdb2444ba0d.txt", "--source", "Someone else")
    assert "unchanged 1" in out
    assert not Source.objects.filter(name="Someone else").exists()


def test_folder_import_prints_a_line_per_file_and_a_summary(db):
    call_command("loaddata", str(FIXTURES / "sources.json"), verbosity=0)
    output = run_import(FIXTURES / "statements")
    assert output.count("[") >= 5 and "000-nato-referendums.txt: imported" in output
    assert output.strip().endswith("imported 5, unchanged 0, failed 0")


def test_raw_seeds_as_json_give_the_dates_and_precisions_of_the_texts(db):
    out = io.StringIO()
    call_command(
        "import_statements", str(SEEDS), "--source", "Seeds", "--format", "json", stdout=out
    )
    document = json.loads(out.getvalue())
    results = {Path(r["file"]).name[:3]: r for r in document["results"]}
    assert {r["status"] for r in results.values()} == {"imported"}
    dates = {
        k: (r["statement"]["published_on"], r["statement"]["date_precision"])
        for k, r in results.items()
    }
    assert dates["001"] == ("2022-09-01", "month")
    assert dates["002"] == ("2022-03-24", "day")
    assert dates["003"] == ("2022-09-30", "day")
    assert dates["004"] == ("2022-02-28", "day")
    assert dates["000"][0] is None
    assert any("date" in w.lower() for w in results["000"]["statement"]["warnings"])
    first = results["004"]["statement"]["paragraphs"][0]
    assert set(first) == {"position", "kind", "number", "language", "text"}


def test_every_seed_paragraph_text_is_stored(db):
    run_import(SEEDS, "--source", "Seeds")
    stored = " ".join(importing_normalise(f"{p.number} {p.text}") for p in Paragraph.objects.all())
    for seed in SEEDS.glob("*.txt"):
        for line in seed.read_text(encoding="utf-8").splitlines():
            if line.strip():
                assert importing_normalise(line) in stored, line


def importing_normalise(value: str) -> str:
    from statements.text import normalise

    return normalise(value)


def test_a_bad_file_fails_with_its_name_and_reason_and_the_others_import(db, tmp_path):
    (tmp_path / "good.txt").write_text("source: Agence\n---\nUn texte.\n\nUn paragraphe de plus.")
    (tmp_path / "empty.txt").write_bytes(b"   \n")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\x00\x00\x01\x02" * 20)
    (tmp_path / "named.txt").write_text(f"source: {'Agence ' * 40}\n---\nUn autre texte.")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="3 file\\(s\\) failed"):
        call_command("import_statements", str(tmp_path), stdout=out, stderr=err)
    assert "imported 1, unchanged 0, failed 3" in out.getvalue()
    assert "empty.txt" in err.getvalue() and "is empty" in err.getvalue()
    assert "binary" in err.getvalue()
    assert "named.txt: the source name" in err.getvalue()
    assert "is longer than 200 characters" in err.getvalue()
    assert Statement.objects.count() == 1


def test_a_text_without_source_fails_clearly(db, tmp_path):
    path = tmp_path / "anonymous.txt"
    path.write_text("Un titre\n\nUn paragraphe.")
    outcome = imports.import_path(path)
    assert outcome.status == "failed"
    assert "names no source" in outcome.error
    assert Statement.objects.count() == 0


def test_a_failing_import_leaves_no_rows(db, monkeypatch):
    parsed = importing.parse_statement("source: Agence\n---\nTitre\n\nPremier paragraphe.")

    def broken_insert(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(search, "insert_paragraphs", broken_insert)
    with pytest.raises(RuntimeError):
        imports.import_statement(parsed)
    assert Statement.objects.count() == 0
    assert Source.objects.count() == 0


def test_an_import_takes_the_same_queries_whatever_its_length(db, queued_tasks):
    """No query per paragraph: 300 paragraphs cost what 3 do (bulk insert and indexing)."""

    def queries_to_import(paragraphs: int) -> int:
        body = "\n\n".join(f"Paragraphe {n} sur la sécurité." for n in range(paragraphs))
        text = f"source: Agence\nevent: Sommet\n---\nTitre {paragraphs}\n\n{body}"
        with CaptureQueriesContext(connection) as captured:
            outcome = imports.import_file(text, f"{paragraphs}.txt")
        assert outcome.status == "imported"
        assert outcome.statement.paragraphs.count() == paragraphs + 1
        return len(captured)

    queries_to_import(1)  # creates the source and the event
    assert queries_to_import(300) == queries_to_import(3) <= 15


def test_an_import_worker_relaxes_its_commits_once_not_in_every_transaction(db, monkeypatch):
    """Each import's commit returns before the log flush: set in its transaction, or once
    for the whole session of an import worker process (one round trip fewer per file)."""
    monkeypatch.setattr(imports, "_relaxed_session", None)

    def settings_sent(number: int) -> list[str]:
        text = f"source: Agence\n---\nTitre {number}\n\nPremier paragraphe {number}."
        with CaptureQueriesContext(connection) as captured:
            outcome = imports.import_file(text, f"{number}.txt")
        assert outcome.status == "imported"
        return [query["sql"] for query in captured if "synchronous_commit" in query["sql"]]

    on_postgres = connection.vendor == "postgresql"
    assert settings_sent(1) == (["SET LOCAL synchronous_commit TO OFF"] if on_postgres else [])
    imports.start_import_worker()  # the test's transaction takes the session's setting back
    assert settings_sent(2) == []
    if on_postgres:
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone() == ("off",)
    assert Statement.objects.count() == 2


@pytest.mark.django_db(transaction=True)  # each file commits, as in a real import
def test_a_batch_looks_each_source_and_event_up_once(tmp_path, queued_tasks):
    for n in range(5):
        (tmp_path / f"{n}.txt").write_text(
            f"source: Agence\nevent: Sommet\n---\nTitre {n}\n\nTexte {n}."
        )
    with CaptureQueriesContext(connection) as captured:
        outcomes = list(imports.import_paths(imports.files_to_import([tmp_path])))
    assert [o.status for o in outcomes] == ["imported"] * 5
    sql = [query["sql"] for query in captured]
    after_first = sql[sql.index("COMMIT") + 1 :] if "COMMIT" in sql else []
    assert len([q for q in after_first if q.startswith('INSERT INTO "statements_statement"')]) == 4
    assert [q for q in after_first if '"statements_source"' in q or '"statements_event"' in q] == []
    assert {o.statement.source_id for o in outcomes} == {Source.objects.get().pk}
    assert Event.objects.get().statements.count() == 5


@pytest.mark.django_db(transaction=True)
def test_a_source_made_for_a_file_that_failed_is_made_again_for_the_next(tmp_path, monkeypatch):
    """The first file's rollback takes its new source away: the next file makes it again."""
    for name in ("a", "b"):
        (tmp_path / f"{name}.txt").write_text(
            f"source: Nouvelle\nevent: Sommet\n---\nTitre {name}\n\nTexte {name}."
        )
    write = search.insert_paragraphs
    calls = []

    def failing_once(statement, paragraphs, **kwargs):
        calls.append(statement.title)
        if len(calls) == 1:
            raise importing.ImportRefused("the disk is full")
        return write(statement, paragraphs, **kwargs)

    monkeypatch.setattr(search, "insert_paragraphs", failing_once)
    outcomes = list(imports.import_paths(imports.files_to_import([tmp_path])))
    assert [(o.status, o.error) for o in outcomes] == [
        ("failed", "the disk is full"),
        ("imported", ""),
    ]
    assert outcomes[1].statement.source == Source.objects.get(name="Nouvelle")
    assert [e.name for e in outcomes[1].statement.events.all()] == ["Sommet"]


@pytest.mark.django_db(transaction=True)
def test_a_remembered_source_deleted_during_a_batch_is_found_again(tmp_path, monkeypatch):
    """Someone deletes the batch's source between two files: the second file's commit
    fails on it, the batch forgets what it knew, and the file goes in on a second try."""
    for name in ("a", "b"):
        (tmp_path / f"{name}.txt").write_text(f"source: Agence\n---\nTitre {name}\n\nTexte {name}.")
    paths = imports.files_to_import([tmp_path])
    batch = imports.import_paths(paths)
    first = next(batch)
    first.statement.delete()
    Source.objects.all().delete()
    second = next(batch)
    assert second.status == "imported"
    assert second.statement.source == Source.objects.get(name="Agence")


def test_dry_run_reports_and_stores_nothing(db):
    out = run_import(SEEDS / "003_8d8d9cb60f617370.txt", "--source", "Blog", "--dry-run")
    assert "would have imported 1" in out
    assert Statement.objects.count() == 0 and Source.objects.count() == 0


def test_event_and_language_options_apply(db):
    run_import(
        SEEDS / "004_306ce2090dc6bcbc.txt",
        "--source",
        "NATO",
        "--event",
        "Calls",
        "--language",
        "fr",
    )
    statement = Statement.objects.get()
    assert [e.name for e in statement.events.all()] == ["Calls"]
    assert statement.language == "fr"


def test_a_file_over_the_size_cap_is_refused(db, tmp_path, settings):
    settings.PARALLAX_IMPORT_MAX_BYTES = 100
    path = tmp_path / "long.txt"
    path.write_text("source: X\n---\n" + "mot " * 100)
    outcome = imports.import_path(path)
    assert outcome.status == "failed" and "limit" in outcome.error


def test_sources_named_without_latin_letters_stay_apart(db):
    first = imports.resolve_source("Россия сегодня")
    second = imports.resolve_source("新华社")
    assert first != second
    assert imports.resolve_source("Россия сегодня") == first
    assert first.slug and second.slug and first.slug != second.slug
    assert imports.resolve_event("Мобилизация") != imports.resolve_event("Референдум")


def test_a_url_header_that_is_not_a_web_address_is_left_out_with_a_warning(db):
    parsed = importing.parse_statement(
        "source: Agence\nurl: javascript:alert(1)\n---\nTitre\n\nUn paragraphe de texte."
    )
    statement, _ = imports.import_statement(parsed)
    assert statement.url == ""
    assert any("not a web address" in warning for warning in statement.import_warnings)


@pytest.mark.django_db(transaction=True)
def test_import_with_several_jobs_gives_the_same_statements(tmp_path):
    call_command("loaddata", str(FIXTURES / "sources.json"), verbosity=0)
    output = run_import(FIXTURES / "statements", "--jobs", "2")
    assert "imported 5, unchanged 0, failed 0" in output
    assert Statement.objects.count() == 5
    assert sorted(Statement.objects.values_list("source__name", flat=True)) == sorted(
        ["NATO", "NATO", "NATO", "RT (attributed)", "Unattributed blog"]
    )
    assert "unchanged 5" in run_import(FIXTURES / "statements", "--jobs", "2")


def test_jobs_must_be_positive(db):
    with pytest.raises(CommandError, match="at least 1"):
        run_import(FIXTURES / "statements", "--jobs", "0")
