from importlib import import_module

from django.db import migrations, models

# The shipped lexicon's rows that a database migrated before they were added lacks (the
# denying qualifiers): the same loader, which skips rows already there.
load_lexicon = import_module("statements.migrations.0009_framing_terms").load_lexicon


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0009_framing_terms"),
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
                ],
                help_text="For a qualifier: how it frames what it qualifies (blank for a term).",
                max_length=20,
            ),
        ),
        migrations.RunPython(load_lexicon, migrations.RunPython.noop),
    ]
