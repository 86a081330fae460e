"""Event.last_end replaces series_end: always filled (a one-off event's end, a series' last date's
end, or far in the future for an endless series), so upcoming and past lists select on one
indexed column instead of an OR across two."""

import datetime

from django.db import migrations, models

ENDLESS = datetime.datetime(9999, 12, 31, tzinfo=datetime.UTC)


def fill_last_end(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    Event.objects.filter(recurrence_rule="").update(last_end=models.F("end"))
    Event.objects.exclude(recurrence_rule="").filter(series_end__isnull=False).update(
        last_end=models.F("series_end")
    )
    Event.objects.exclude(recurrence_rule="").filter(series_end__isnull=True).update(last_end=ENDLESS)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0005_bench_listing_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="last_end",
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.RunPython(fill_last_end, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="event",
            name="last_end",
            field=models.DateTimeField(
                editable=False,
                help_text="When the event's last date ends: its end, a series' last date's end, or far "
                "in the future for an endless series. Upcoming and past lists select on it.",
            ),
        ),
        migrations.RemoveIndex(model_name="event", name="events_event_pub_end_idx"),
        migrations.RemoveIndex(model_name="event", name="events_event_series_end_idx"),
        migrations.RemoveIndex(model_name="event", name="events_event_pub_order_idx"),
        migrations.RemoveField(model_name="event", name="series_end"),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(
                condition=models.Q(("is_published", True)),
                fields=["start", "id", "last_end"],
                name="events_event_pub_order_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["is_published", "last_end"], name="events_event_pub_last_end_idx"),
        ),
    ]
