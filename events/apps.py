from django.apps import AppConfig


class EventsConfig(AppConfig):
    """The calendar: events, their sessions, venues, organizers, categories and tags."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "events"
    verbose_name = "Events calendar"

    def ready(self):
        from events_site import page_cache

        from . import checks, feed_text  # noqa: F401 (checks registers itself)

        page_cache.connect_signals()
        feed_text.connect_signals()
