"""Write every event's feed text again (``events.calendar_files.stored``): after an upgrade that
changes the calendar files, or after writing events by hand in the database."""

from django.conf import settings
from django.core.management.base import BaseCommand

from events.calendar_files import stored
from events.models import EventFeedText


class Command(BaseCommand):
    help = "Write the stored iCalendar text of every event again (used by the .ics feeds)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--language",
            action="append",
            default=[],
            choices=[code for code, _name in settings.LANGUAGES],
            help="Write the texts in this language too, before any feed in it asks (repeatable).",
        )

    def handle(self, *args, language, **options):
        # The site's language, every other that feeds have asked for so far, and the ones named.
        asked = set(EventFeedText.objects.values_list("language", flat=True).distinct()) | set(language)
        languages = [settings.LANGUAGE_CODE, *sorted(asked - {settings.LANGUAGE_CODE})]
        stale = EventFeedText.objects.exclude(key=stored.current_key()).delete()[0]
        for language in languages:
            written = stored.refresh(language=language)
            self.stdout.write(self.style.SUCCESS(f"Wrote the feed text of {written} events ({language})."))
        if stale:
            self.stdout.write(f"Removed {stale} texts written in an older format.")
