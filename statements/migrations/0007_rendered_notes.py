# Notes are rendered once, when saved: existing ones are rendered here.

from django.db import migrations, models
from django.utils.html import escape, linebreaks


def stored_html(source, max_chars):
    from statements import markup

    try:
        return markup.render_markdown(source, max_chars=max_chars)
    except markup.MarkupRefused:  # written before the bounds: shown as plain text
        return linebreaks(escape(source))


def render_existing(apps, schema_editor):
    Annotation = apps.get_model("statements", "Annotation")
    Comparison = apps.get_model("statements", "Comparison")
    for note in Annotation.objects.only("pk", "body").iterator(chunk_size=500):
        Annotation.objects.filter(pk=note.pk).update(body_html=stored_html(note.body, 10_000))
    for comparison in Comparison.objects.exclude(note="").only("pk", "note").iterator(
        chunk_size=500
    ):
        html = stored_html(comparison.note, 5_000)
        Comparison.objects.filter(pk=comparison.pk).update(note_html=html)


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0006_corpus_statistics_and_stored_alignments"),
    ]

    operations = [
        migrations.AddField(
            model_name="annotation",
            name="body_html",
            field=models.TextField(blank=True, editable=False, help_text="The body, rendered"),
        ),
        migrations.AddField(
            model_name="comparison",
            name="note_html",
            field=models.TextField(blank=True, editable=False, help_text="The note, rendered"),
        ),
        migrations.RunPython(render_existing, migrations.RunPython.noop),
    ]
