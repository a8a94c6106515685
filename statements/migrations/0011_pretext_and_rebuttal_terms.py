from functools import partial
from importlib import import_module

from django.db import migrations, models

lexicon = import_module("statements.migrations.0009_framing_terms")
# The rows the shipped lexicon gained here: pretext markers among the distancing
# qualifiers, and rebuttal markers, a new kind. Only these are loaded: loading the whole
# file again would bring back rows staff deleted in the admin.
NEW = {
    ("fr", "censément", "distancing"),
    ("fr", "supposément", "distancing"),
    ("fr", "sous prétexte de", "distancing"),
    ("fr", "sous couvert de", "distancing"),
    ("en", "ostensibly", "distancing"),
    ("en", "under the pretext of", "distancing"),
    ("en", "under the guise of", "distancing"),
    ("fr", "en réalité", "rebutting"),
    ("fr", "contrairement aux affirmations", "rebutting"),
    ("en", "in reality", "rebutting"),
    ("en", "contrary to claims", "rebutting"),
}


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0010_denying_terms"),
    ]

    operations = [
        migrations.AlterField(
            model_name="framingterm",
            name="kind",
            field=models.CharField(
                blank=True,
                choices=[
                    ("delegitimising", "Delegitimising (illegal, sham)"),
                    ("legitimising", "Legitimising (liberated, historic)"),
                    ("distancing", "Distancing (so-called, alleged)"),
                    ("intensifying", "Intensifying (flagrant, unwavering)"),
                    ("denying", "Denying (denies, staged, unfounded)"),
                    ("rebutting", "Rebutting a reported claim (en réalité, in reality)"),
                ],
                help_text="For a qualifier: how it frames what it qualifies (blank for a term).",
                max_length=20,
            ),
        ),
        migrations.RunPython(
            partial(lexicon.load_lexicon, only=NEW), partial(lexicon.unload_lexicon, only=NEW)
        ),
    ]
