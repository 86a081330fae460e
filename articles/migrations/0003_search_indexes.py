"""Trigram indexes for search on PostgreSQL (pg_trgm, created by events 0008); nothing on SQLite."""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import migrations
from django.db.models.functions import Upper

from events.postgres import AddIndexOnPostgreSQL


def trigram_index(field_name, name):
    return GinIndex(OpClass(Upper(field_name), name="gin_trgm_ops"), name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_admin_audit"),
        ("events", "0008_search_indexes"),
    ]

    operations = [
        AddIndexOnPostgreSQL(
            model_name="article", index=trigram_index("title", "articles_article_title_trgm")
        ),
        AddIndexOnPostgreSQL(
            model_name="article", index=trigram_index("excerpt", "articles_article_excerpt_trgm")
        ),
        AddIndexOnPostgreSQL(model_name="article", index=trigram_index("body", "articles_article_body_trgm")),
    ]
