"""/annotations.jsonld: a statement's or a comparison's notes as W3C Web Annotations."""

from __future__ import annotations

import json

import pytest

from statements.models import Visibility

from .conftest import make_statement
from .notes_helpers import client_for, make_link, make_note, make_user

pytestmark = pytest.mark.django_db

TEXT = "Les Alliés condamnent les prétendus référendums organisés par la Russie en Ukraine."


@pytest.fixture
def author(db):
    return make_user("annotator")


@pytest.fixture
def statement():
    return make_statement(paragraphs=["Titre.", TEXT])


def export(client, **query) -> tuple[int, dict, str]:
    response = client.get("/annotations.jsonld", query)
    return response.status_code, json.loads(response.content), response["Content-Type"]


def test_a_statements_notes_export_as_an_annotation_collection(client, author, statement):
    paragraph = statement.paragraphs.get(position=2)
    note = make_note(
        author, paragraph, body="*Prétendus*: the vote is framed as a sham.", passage="prétendus"
    )
    note.tags = ["framing", "claim"]
    note.save()
    status, document, content_type = export(client, statement=statement.slug)
    assert status == 200
    assert content_type == 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
    assert document["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert document["type"] == "AnnotationCollection"
    assert document["id"] == f"http://testserver/annotations.jsonld?statement={statement.slug}"
    assert document["total"] == 1
    page = document["first"]
    assert page["type"] == "AnnotationPage" and page["startIndex"] == 0
    (item,) = page["items"]
    start = TEXT.index("prétendus")  # fewer than 32 characters before: all of them
    assert item == {
        "id": f"http://testserver/annotations/{note.pk}/",
        "type": "Annotation",
        "motivation": "commenting",
        "created": note.created_at.isoformat(),
        "modified": note.updated_at.isoformat(),
        "creator": {"type": "Person", "nickname": "annotator"},
        "body": [
            {
                "type": "TextualBody",
                "value": "*Prétendus*: the vote is framed as a sham.",
                "format": "text/markdown",
                "purpose": "commenting",
            },
            {"type": "TextualBody", "value": "framing", "purpose": "tagging"},
            {"type": "TextualBody", "value": "claim", "purpose": "tagging"},
        ],
        "target": {
            "source": f"http://testserver/statements/{statement.slug}/#p2",
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": "prétendus",
                    "prefix": TEXT[:start],
                    "suffix": TEXT[start + 9 : start + 41],
                },
                {"type": "TextPositionSelector", "start": start, "end": start + 9},
            ],
        },
    }


def test_an_annotation_id_opens_the_note(client, author, statement):
    make_note(author, statement.paragraphs.first(), body="Where am I?")
    _, document, _ = export(client, statement=statement.slug)
    note_url = document["first"]["items"][0]["id"]
    page = client.get(note_url, follow=True).content.decode()
    assert "Where am I?" in page


def test_a_note_on_the_whole_paragraph_has_no_selector(client, author, statement):
    make_note(author, statement.paragraphs.first())
    _, document, _ = export(client, statement=statement.slug)
    target = document["first"]["items"][0]["target"]
    assert target == {"source": f"http://testserver/statements/{statement.slug}/#p1"}


def test_a_comparisons_export_holds_both_statements_notes_and_its_links_notes(
    client, author, statement
):
    right = make_statement(paragraphs=["Des référendums légitimes."])
    link = make_link(statement, right, owner=author)
    make_note(author, statement.paragraphs.first(), body="Left side.")
    make_note(author, right.paragraphs.first(), body="Right side.")
    make_note(author, link=link, body="They disagree.")
    make_note(author, make_statement().paragraphs.first(), body="Elsewhere.")
    _, document, _ = export(client, comparison=link.comparison.key)
    items = {item["body"][0]["value"]: item for item in document["first"]["items"]}
    assert set(items) == {"Left side.", "Right side.", "They disagree."}
    linking = items["They disagree."]
    assert linking["motivation"] == "linking"
    assert linking["target"] == [
        {"source": f"http://testserver/statements/{statement.slug}/#p1"},
        {"source": f"http://testserver/statements/{right.slug}/#p1"},
    ]
    assert items["Left side."]["motivation"] == "commenting"
    assert document["label"] == "Notes on “Side by side”"


def test_the_export_holds_only_what_the_requester_may_see(client, author, statement):
    paragraph = statement.paragraphs.first()
    make_note(author, paragraph, body="Public.")
    make_note(author, paragraph, body="Private.", visibility="private")
    make_note(author, paragraph, body="Hidden.", hidden=True, hidden_reason="Rude.")
    stranger = make_user("stranger")
    make_note(stranger, paragraph, body="Stranger's own.", visibility="private")
    moderator = make_user("moderator", staff=True)

    def bodies(viewer) -> set[str]:
        _, document, _ = export(viewer, statement=statement.slug)
        assert document["total"] == len(document["first"]["items"])
        return {item["body"][0]["value"] for item in document["first"]["items"]}

    assert bodies(client) == {"Public."}
    assert bodies(client_for(author)) == {"Public.", "Private.", "Hidden."}
    assert bodies(client_for(stranger)) == {"Public.", "Stranger's own."}
    assert bodies(client_for(moderator)) == {"Public."}


def test_a_private_comparisons_export_is_not_found_by_others(client, author, statement):
    link = make_link(statement, make_statement(), owner=author, visibility=Visibility.PRIVATE)
    make_note(author, link=link, body="Mine.")
    key = link.comparison.key
    status, document, _ = export(client, comparison=key)
    assert status == 404 and "error" in document
    status, _, _ = export(client_for(make_user("nosy")), comparison=key)
    assert status == 404
    status, document, _ = export(client_for(author), comparison=key)
    assert status == 200 and document["total"] == 1


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({}, 400),
        ({"statement": ""}, 400),
        ({"statement": "x", "comparison": "y"}, 400),
        ({"statement": "no-such-statement"}, 404),
        ({"comparison": "no-such-key"}, 404),
    ],
)
def test_bad_parameters_get_a_json_error(client, statement, query, status):
    response = client.get("/annotations.jsonld", query)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["error"]


def test_the_export_takes_a_bounded_number_of_queries(
    client, author, statement, django_assert_max_num_queries
):
    for paragraph in statement.paragraphs.all():
        for _ in range(20):
            make_note(author, paragraph, passage=paragraph.text[:5])
    with django_assert_max_num_queries(3):
        status, document, _ = export(client, statement=statement.slug)
    assert document["total"] == 40
