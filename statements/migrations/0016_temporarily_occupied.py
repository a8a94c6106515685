from functools import partial
from importlib import import_module

from django.db import migrations

lexicon = import_module("statements.migrations.0009_framing_terms")
# "temporarily" / "temporairement" frames a claim only before "occupied" ("temporarily
# occupied territories"); alone it is neutral ("temporarily suspended", "temporairement
# fermé"). The one-word qualifiers give way to the two-word ones, which match every form
# of "occupé" on its stem.
OLD = {("fr", "temporairement", "delegitimising"), ("en", "temporarily", "delegitimising")}
NEW = {
    ("fr", "temporairement occupé", "delegitimising"),
    ("en", "temporarily occupied", "delegitimising"),
}


def restore_old(apps, schema_editor):
    FramingTerm = apps.get_model("statements", "FramingTerm")
    for language, text, kind in sorted(OLD):
        FramingTerm.objects.get_or_create(
            language=language, text=text, kind=kind, concept="", defaults={"side": "western"}
        )


def forward(apps, schema_editor):
    lexicon.unload_lexicon(apps, schema_editor, only=OLD)
    lexicon.load_lexicon(apps, schema_editor, only=NEW)


def backward(apps, schema_editor):
    lexicon.unload_lexicon(apps, schema_editor, only=NEW)
    restore_old(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0015_set_phrases"),
    ]

    operations = [migrations.RunPython(forward, backward)]
