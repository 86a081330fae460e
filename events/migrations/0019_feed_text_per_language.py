"""Stored calendar texts per language (issue 17): one row per event and language instead of one per
event. The texts are derived data; the ones written so far, all in the default language, are
copied over rather than written again (a large calendar's feeds stay fast through the deploy)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def copy_texts(apps, schema_editor):
    """The existing texts as the default language's, in one statement."""
    old = apps.get_model("events", "EventFeedText")._meta.db_table
    new = apps.get_model("events", "EventFeedTextByLanguage")._meta.db_table
    quote = schema_editor.quote_name
    schema_editor.execute(
        f"INSERT INTO {quote(new)} (event_id, language, {quote('key')}, text) "
        f"SELECT event_id, %s, {quote('key')}, text FROM {quote(old)}",
        [settings.LANGUAGE_CODE],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0018_field_names_for_translation"),
    ]

    operations = [
        migrations.CreateModel(
            name="EventFeedTextByLanguage",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("language", models.CharField(max_length=10, verbose_name="language")),
                ("key", models.CharField(max_length=300, verbose_name="key")),
                ("text", models.TextField(verbose_name="text")),
                (
                    "event",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="events.event",
                        verbose_name="event",
                    ),
                ),
            ],
        ),
        migrations.RunPython(copy_texts, migrations.RunPython.noop, elidable=True),
        migrations.DeleteModel(name="EventFeedText"),
        migrations.RenameModel(old_name="EventFeedTextByLanguage", new_name="EventFeedText"),
        migrations.AlterField(
            model_name="eventfeedtext",
            name="event",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="feed_texts",
                to="events.event",
                verbose_name="event",
            ),
        ),
        migrations.AlterModelOptions(name="eventfeedtext", options={"verbose_name": "event's feed text"}),
        migrations.AddConstraint(
            model_name="eventfeedtext",
            constraint=models.UniqueConstraint(
                fields=("event", "language"), name="events_feedtext_one_per_language"
            ),
        ),
    ]
