"""Write every event's feed text again (``events.calendar_files.stored``): after an upgrade that
changes the calendar files, or after writing events by hand in the database."""

from django.core.management.base import BaseCommand

from events.calendar_files import stored
from events.models import EventFeedText


class Command(BaseCommand):
    help = "Write the stored iCalendar text of every event again (used by the .ics feeds)."

    def handle(self, *args, **options):
        stale = EventFeedText.objects.exclude(key=stored.current_key()).delete()[0]
        written = stored.refresh()
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote the feed text of {written} events"
                + (f" (removed {stale} written in an older format)." if stale else ".")
            )
        )
