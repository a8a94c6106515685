from functools import partial
from importlib import import_module

from django.db import migrations

lexicon = import_module("statements.migrations.0009_framing_terms")
# The rows the shipped lexicon gained here: the verbs of a denial besides "dément" and
# "denied" ("nie", "réfute", "dismissed the claims"). A one-word form matches its own
# folded form, so "nie" also reads "a nié", and "réfute" "réfuté". Only these are loaded:
# loading the whole file again would bring back rows staff deleted in the admin.
DENYING = {
    "fr": ["nie", "nient", "niant", "réfute", "réfutent"]
    + [f"{verb} {which} allégations" for verb in ("rejette", "rejeté") for which in ("les", "ces")],
    "en": ["refuted", "refutes", "rejected the claims", "rejects the claims"]
    + [
        f"{verb} the {what}"
        for verb in ("dismissed", "dismisses")
        for what in ("accusations", "allegations", "claims")
    ],
}
NEW = {(language, text, "denying") for language, texts in DENYING.items() for text in texts}


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0013_attribution_and_strike_denial_terms"),
    ]

    operations = [
        migrations.RunPython(
            partial(lexicon.load_lexicon, only=NEW), partial(lexicon.unload_lexicon, only=NEW)
        ),
    ]
