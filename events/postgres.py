"""What search needs from PostgreSQL beyond what Django writes by itself; SQLite is left as it is.

Search matches with ``icontains``, which Django writes on PostgreSQL as ``UPPER(col::text) LIKE
UPPER(%s)``. A GIN trigram index (the ``pg_trgm`` extension) on exactly ``UPPER(col)`` answers that
``LIKE`` without reading the table, for words of three characters or more (see the README).
"""

import contextlib

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import connections, transaction
from django.db.migrations import AddField, AddIndex
from django.db.models.functions import Upper


def trigram_index(field_name, *, name):
    """A GIN trigram index on ``UPPER(field_name)``: what ``field_name__icontains`` can use on
    PostgreSQL. Created by ``AddIndexOnPostgreSQL`` (there is no GIN on SQLite)."""
    return GinIndex(OpClass(Upper(field_name), name="gin_trgm_ops"), name=name)


class AddIndexOnPostgreSQL(AddIndex):
    """``AddIndex`` that creates (and drops) the index on PostgreSQL only; the model state records
    it everywhere, so migrations stay the same for every database."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class AddFieldInPlace(AddField):
    """``AddField`` that adds the column with ``ALTER TABLE ... ADD COLUMN`` on SQLite too.

    Django rebuilds a SQLite table to add a NOT NULL column, and the rebuild creates every index
    of the model's state, the GIN trigram indexes included, which SQLite cannot create. SQLite
    adds a column with a constant default in place, so that is done instead; on PostgreSQL this is
    ``AddField`` as usual."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "sqlite":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
            return
        model = to_state.apps.get_model(app_label, self.model_name)
        field = model._meta.get_field(self.name)
        definition, params = schema_editor.column_sql(model, field, include_default=True)
        table, column = schema_editor.quote_name(model._meta.db_table), schema_editor.quote_name(field.column)
        schema_editor.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}", params)


@contextlib.contextmanager
def walking_an_index_in_order(using):
    """Queries inside, on PostgreSQL, are planned without bitmap scans: an ``ORDER BY ... LIMIT``
    over many matches then walks the index of its order until it has its rows, instead of
    collecting every match through the trigram indexes and sorting them. For a caller that knows
    the matches are many (search's probe, ``EventQuerySet.best_matches``), where the planner's
    estimate from trigram statistics can be far too low. (A small table may still be read whole
    and sorted, where that is cheaper.) Elsewhere, nothing changes."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        try:
            yield
        finally:
            cursor.execute("SET LOCAL enable_bitmapscan TO DEFAULT")
