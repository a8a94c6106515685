from importlib import import_module

from django.db import migrations

# The shipped lexicon's rows that a database migrated before they were added lacks (the
# pretext markers among the distancing qualifiers: "officiellement pour", "ostensibly",
# "under the guise of"; the rebuttal markers among the denials: "en réalité", "in
# reality"): the same loader, which skips rows already there.
load_lexicon = import_module("statements.migrations.0009_framing_terms").load_lexicon


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0010_denying_terms"),
    ]

    operations = [
        migrations.RunPython(load_lexicon, migrations.RunPython.noop),
    ]
