from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    """News: articles, publications and videos, sharing categories and tags with events."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "News"
