"""Write every event's feed text again (``events.calendar_files.stored``): after changing
DJANGO_SITE_URL, after an upgrade that changes the calendar files, or after writing events by hand
in the database."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from events.calendar_files import stored
from events.models import EventFeedText


class Command(BaseCommand):
    help = "Write the stored iCalendar text of every event again (used by the .ics feeds)."

    def handle(self, *args, **options):
        if not settings.SITE_URL:
            raise CommandError(
                "DJANGO_SITE_URL is not set: feeds are built on every request and no text is stored."
            )
        stale = EventFeedText.objects.exclude(key=stored.current_key()).delete()[0]
        written = stored.refresh()
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote the feed text of {written} events for {settings.SITE_URL}"
                + (f" (removed {stale} written for another address or format)." if stale else ".")
            )
        )
