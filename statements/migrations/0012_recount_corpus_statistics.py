"""The engine's stems changed (`text.match_stem`: "nous condamnons" is counted with
"condamné"), so the corpus statistics counted before are in another key space: counting a
statement out would subtract from keys it was never counted under. They are emptied and
every statement is marked to be counted again, which `manage.py rebuild_corpus_stats
--pending` (run by `make run` and by each worker as it starts) and the worker's counting
task do from the stored paragraphs."""

from django.db import migrations


def reset_statistics(apps, schema_editor):
    apps.get_model("statements", "TermStatistic").objects.all().delete()
    apps.get_model("statements", "CorpusSize").objects.all().delete()
    apps.get_model("statements", "Statement").objects.update(stats_counted=False)


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0011_pretext_and_rebuttal_terms"),
    ]

    operations = [
        migrations.RunPython(reset_statistics, reset_statistics),
    ]
