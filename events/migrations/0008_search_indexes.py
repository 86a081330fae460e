"""Trigram indexes for search on PostgreSQL (pg_trgm); nothing changes on SQLite (see the README)."""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations
from django.db.models.functions import Upper

from events.postgres import AddIndexOnPostgreSQL


def trigram_index(field_name, name):
    return GinIndex(OpClass(Upper(field_name), name="gin_trgm_ops"), name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0007_perf_duration_days"),
    ]

    operations = [
        # Needs pg_trgm to be available (PostgreSQL's contrib) and, unless it is already installed in
        # the database, the right to create it. Nothing happens on SQLite.
        TrigramExtension(),
        AddIndexOnPostgreSQL(model_name="event", index=trigram_index("title", "events_event_title_trgm")),
        AddIndexOnPostgreSQL(model_name="event", index=trigram_index("summary", "events_event_summary_trgm")),
        AddIndexOnPostgreSQL(
            model_name="event", index=trigram_index("description", "events_event_description_trgm")
        ),
    ]
