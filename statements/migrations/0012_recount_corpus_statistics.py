"""The engine's French stems changed (`text.match_stem`: "nous condamnons" is counted with
"condamné"), so the French corpus statistics counted before are in another key space:
counting a statement out would subtract from keys it was never counted under. They are
emptied and every French statement is marked to be counted again, which `manage.py
rebuild_corpus_stats --pending` does from the stored paragraphs: `make run` and
docker-compose's migrate service run it right after the migrations, before serving."""

from django.db import migrations


def reset_statistics(apps, schema_editor):
    apps.get_model("statements", "TermStatistic").objects.filter(language="fr").delete()
    apps.get_model("statements", "CorpusSize").objects.filter(language="fr").delete()
    apps.get_model("statements", "Statement").objects.filter(language="fr").update(
        stats_counted=False
    )


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0011_pretext_and_rebuttal_terms"),
    ]

    operations = [
        migrations.RunPython(reset_statistics, reset_statistics),
    ]
