from functools import partial
from importlib import import_module

from django.db import migrations, models

lexicon = import_module("statements.migrations.0009_framing_terms")
# Set phrases: words that hold a qualifier's word without qualifying anything ("légitime
# défense" is self-defence, not a legitimising "légitime"; "claimed the lives of" reports
# deaths, it casts no doubt; the International Criminal Court and a criminal investigation
# are law, not a delegitimising "criminal"). A search for qualifiers skips their words.
# Only these rows are loaded: loading the whole file again would bring back rows staff
# deleted.
SET_PHRASES = {
    "fr": ["légitime défense"],
    "en": ["legitimate self-defence", "legitimate self-defense", "supposed to"]
    + ["claimed the lives", "claimed the life"]
    + [f"{verb} responsibility" for verb in ("claimed", "claims", "claiming")]
    + ["International Criminal Court", "criminal court"]
    + [f"criminal {what}" for what in ("investigation", "investigations", "proceedings")],
}
NEW = {(language, text, "set_phrase") for language, texts in SET_PHRASES.items() for text in texts}


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0014_denial_verbs"),
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
                    ("set_phrase", "Set phrase, no qualifier inside (légitime défense)"),
                ],
                help_text="For a qualifier: how it frames what it qualifies (blank for a term).",
                max_length=20,
            ),
        ),
        migrations.RunPython(
            partial(lexicon.load_lexicon, only=NEW), partial(lexicon.unload_lexicon, only=NEW)
        ),
    ]
