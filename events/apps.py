from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """The calendar: events, their sessions, venues, organizers, categories and tags."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "events"
    verbose_name = _("Events calendar")

    def ready(self):
        from . import changes, checks  # noqa: F401 (checks registers itself)

        changes.connect()
