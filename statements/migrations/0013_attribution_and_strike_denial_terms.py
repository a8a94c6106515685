from functools import partial
from importlib import import_module

from django.db import migrations

lexicon = import_module("statements.migrations.0009_framing_terms")
# The rows the shipped lexicon gained here: attribution verbs that cast doubt on what
# they report (distancing), and the Russian defence ministry's answer to reports of
# strikes on civilians (denying). Only these are loaded: loading the whole file again
# would bring back rows staff deleted in the admin.
DISTANCING = {
    "fr": ["a admis que", "admet que", "a insisté sur le fait que", "insiste sur le fait que"]
    + ["prétend", "prétendent"],
    "en": ["admitted that", "admits that", "insisted that", "insists that"],
}
DENYING = {
    "fr": [
        f"{only}des {target} militaires"
        for only in ("que ", "uniquement ", "exclusivement ")
        for target in ("cibles", "objectifs", "installations")
    ],
    "en": [
        "only military targets",
        "only military facilities",
        "only military infrastructure",
        "only military objects",
        "hit only military",
        "struck only military",
        "targeted only military",
        "exclusively military targets",
    ],
}
NEW = {
    (language, text, kind)
    for kind, by_language in (("distancing", DISTANCING), ("denying", DENYING))
    for language, texts in by_language.items()
    for text in texts
}


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0012_recount_corpus_statistics"),
    ]

    operations = [
        migrations.RunPython(
            partial(lexicon.load_lexicon, only=NEW), partial(lexicon.unload_lexicon, only=NEW)
        ),
    ]
