"""`manage.py evaluate_alignment PATH` on a development set of someone else's: one that
follows the format of tests/data/alignment/README.md is scored, and one that does not gets
a message naming the file, the link and what is wrong, never a traceback."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from statements.alignment import evaluation

LEFT = """source: NATO
language: fr
date: 2022-09-30
---
Déclaration du Conseil de l'Atlantique Nord

Les Alliés ne reconnaîtront jamais l'annexion illégale des régions ukrainiennes.

Nous continuerons de soutenir l'Ukraine aussi longtemps qu'il le faudra.
"""
RIGHT = """source: Un blog
language: fr
date: 2022-10-01
---
L'OTAN et le rattachement

Selon l'OTAN, les Alliés « ne reconnaîtront jamais l'annexion illégale des régions \
ukrainiennes ».

Les céréales quittent de nouveau le port d'Odessa.
"""
LINK = {
    "left": "ne reconnaîtront jamais l'annexion illégale",
    "right": "Selon l'OTAN, les Alliés",
    "relation": "quotes",
    "required": True,
}


def write_set(tmp_path, pair=None, *, left=LEFT):
    """A set in tmp_path/set whose texts are in tmp_path/texts, as in the shipped set."""
    (tmp_path / "set" / "pairs").mkdir(parents=True)
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "nato.txt").write_text(left, "utf-8")
    (tmp_path / "texts" / "blog.txt").write_text(RIGHT, "utf-8")
    if pair is None:
        pair = {"left": "texts/nato.txt", "right": "texts/blog.txt", "links": [LINK]}
    content = pair if isinstance(pair, str) else json.dumps(pair)
    (tmp_path / "set" / "pairs" / "nato-vs-blog.json").write_text(content, "utf-8")
    return tmp_path / "set"


def evaluate(path, *options):
    out = io.StringIO()
    call_command("evaluate_alignment", str(path), *options, stdout=out)
    return out.getvalue()


def test_a_set_in_the_documented_format_is_scored(db, tmp_path):
    text = evaluate(write_set(tmp_path), "--details")
    assert "nato-vs-blog" in text
    assert "overall: precision 1.00, recall 1.00" in text


def test_a_link_without_required_counts_as_required(db, tmp_path):
    link = {key: value for key, value in LINK.items() if key != "required"}
    pair = {"left": "texts/nato.txt", "right": "texts/blog.txt", "links": [link]}
    assert "1/1 required found" in evaluate(write_set(tmp_path, pair))


BAD_LINKS = [
    (
        {**LINK, "left": "une phrase qui n'y est pas"},
        "link 1: the left snippet .* is in 0 paragraphs, not 1",
    ),
    ({**LINK, "right": "L'OTAN"}, "link 1: the right snippet .L.OTAN. is in 2 paragraphs"),
    (
        {**LINK, "left": "Conseil de l'Atlantique Nord"},
        "link 1: the left snippet .* is in a title paragraph",
    ),
    ({**LINK, "left": 42}, "link 1: the left snippet is not a text"),
    ({**LINK, "relation": "agrees"}, "link 1: relation 'agrees' is not one of"),
    ({**LINK, "required": "yes"}, "link 1: required 'yes' is not true or false"),
    ("a link", "link 1: not an object"),
]


@pytest.mark.parametrize(("link", "message"), BAD_LINKS)
def test_a_bad_link_is_named_with_what_is_wrong(db, tmp_path, link, message):
    pair = {"left": "texts/nato.txt", "right": "texts/blog.txt", "links": [link]}
    with pytest.raises(CommandError, match=f"nato-vs-blog.json: {message}"):
        evaluate(write_set(tmp_path, pair))


def test_two_links_on_the_same_paragraphs_are_refused(db, tmp_path):
    again = {**LINK, "left": "annexion illégale des régions"}
    pair = {"left": "texts/nato.txt", "right": "texts/blog.txt", "links": [LINK, again]}
    with pytest.raises(CommandError, match="link 2: it labels the same paragraphs as link 1"):
        evaluate(write_set(tmp_path, pair))


@pytest.mark.parametrize(
    ("pair", "message"),
    [
        ("{not json", "not a JSON file"),
        ([1, 2], 'needs "left" and "right"'),
        ({"left": "texts/nato.txt", "right": "texts/blog.txt"}, 'needs "links", a list'),
        (
            {"left": "texts/nato.txt", "right": "texts/missing.txt", "links": []},
            "missing.txt: no such file",
        ),
    ],
)
def test_a_bad_pair_file_is_named_with_what_is_wrong(db, tmp_path, pair, message):
    with pytest.raises(CommandError, match=message):
        evaluate(write_set(tmp_path, pair))


def test_a_text_the_importer_refuses_is_named(db, tmp_path):
    path = write_set(tmp_path, left="")
    with pytest.raises(CommandError, match="nato.txt: "):
        evaluate(path)


def test_a_set_without_pair_files_says_so(db, tmp_path):
    (tmp_path / "set" / "pairs").mkdir(parents=True)
    with pytest.raises(CommandError, match="holds no pair file"):
        evaluate(tmp_path / "set")


@pytest.mark.parametrize("option", ["--calibrate", "--cross-validate"])
def test_every_mode_names_a_bad_set(db, tmp_path, option):
    pair = {"left": "texts/nato.txt", "right": "texts/blog.txt", "links": [{**LINK, "relation": 3}]}
    with pytest.raises(CommandError, match="link 1: relation 3"):
        evaluate(write_set(tmp_path, pair), option)


def test_a_large_set_is_read_with_every_link_placed(tmp_path):
    """4,999 paragraphs a side (the importer takes 5,000) and a link on each: each
    paragraph's lookup key is made once, not once per link (25 million keys)."""
    count = 4999
    for name in ("left", "right"):
        paragraphs = "\n\n".join(f"Paragraphe {name} numéro {k} x{k}x." for k in range(count))
        (tmp_path / "texts").mkdir(exist_ok=True)
        (tmp_path / "texts" / f"{name}.txt").write_text(
            f"language: fr\n---\nUn titre\n\n{paragraphs}\n"
        )
    links = [
        {"left": f"left numéro {k} x{k}x", "right": f"right numéro {k} x{k}x", "relation": "quotes"}
        for k in range(count)
    ]
    pair = {"left": "texts/left.txt", "right": "texts/right.txt", "links": links}
    (tmp_path / "set" / "pairs").mkdir(parents=True)
    (tmp_path / "set" / "pairs" / "big.json").write_text(json.dumps(pair), "utf-8")
    ((name, left, right, loaded),) = evaluation.load(tmp_path / "set")
    assert name == "big" and len(loaded) == count
    assert [link["left_position"] for link in loaded] == [
        p.position for p in left.paragraphs if "numéro" in p.text
    ]
    assert all(link["required"] for link in loaded)
