"""Event.duration_days: whole days no shorter than each event, so the calendar's overlap query can
bound how early an overlapping event starts (start >= window start - the longest event) and read a
range of the start indexes instead of the whole table; and a small index for the few series."""

from datetime import timedelta

from django.db import migrations, models

DAY = timedelta(days=1)


def fill_duration_days(apps, schema_editor):
    """As Event.derive_schedule() fills it on save."""
    Event = apps.get_model("events", "Event")
    batch = []
    rows = Event.objects.only("start", "end", "start_date", "end_date").order_by("pk")
    for event in rows.iterator(chunk_size=2000):
        event.duration_days = max(-((event.start - event.end) // DAY), (event.end_date - event.start_date).days)
        batch.append(event)
        if len(batch) == 2000:
            Event.objects.bulk_update(batch, ["duration_days"])
            batch = []
    Event.objects.bulk_update(batch, ["duration_days"])


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0006_last_end"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="duration_days",
            field=models.PositiveIntegerField(
                default=0,
                editable=False,
                help_text="Whole days no shorter than the event (its first date's occurrence for a "
                "series): from start to end, and from its first to its last date. Calendar queries "
                "bound how early an overlapping event can start with the longest.",
            ),
        ),
        migrations.RunPython(fill_duration_days, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["duration_days"], name="events_event_duration_idx"),
        ),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(
                condition=models.Q(("recurrence_rule__gt", "")),
                fields=["last_end", "start"],
                name="events_event_series_idx",
            ),
        ),
    ]
