"""Import events from an .ics file or URL: ``manage.py import_ics FILE_OR_URL [--draft]``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from events.calendar_files.fetching import CalendarFetchError, fetch_calendar
from events.calendar_files.importer import CalendarImportError, import_calendar
from events.calendar_files.reading import read_at_most

CHUNK_BYTES = 1024 * 1024


def read_source(source):
    """The bytes of a local file, or of an http(s)/webcal URL: at most the import limit
    (``settings.ICS_IMPORT_MAX_BYTES``), refused as soon as they pass it.

    The server's operator runs this command: unlike the admin, it may fetch from private addresses."""
    if source.startswith(("http://", "https://", "webcal://")):
        try:
            return fetch_calendar(source, allow_private=True)
        except CalendarFetchError as error:
            raise CommandError(f"Could not read {source}: {error}") from error
    with Path(source).open("rb") as file:
        try:
            return read_at_most(iter(lambda: file.read(CHUNK_BYTES), b""))
        except CalendarImportError as error:
            raise CommandError(f"{source}: {error.problems[0]} Nothing was imported.") from error


class Command(BaseCommand):
    help = (
        "Import events (and their sessions) from an iCalendar file or URL. Events are matched by UID, so "
        "a second import updates them. Imported events are published unless --draft is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", metavar="FILE_OR_URL", help="Path, or http(s):// or webcal:// URL.")
        parser.add_argument("--draft", action="store_true", help="Create new events as unpublished drafts.")

    def handle(self, *args, source, draft, **options):
        try:
            data = read_source(source)
        except OSError as error:
            raise CommandError(f"Could not read {source}: {error}") from error
        try:
            summary = import_calendar(data, publish=not draft)
        except CalendarImportError as error:
            raise CommandError("\n".join(["Nothing was imported.", *error.problems])) from error
        self.stdout.write(self.style.SUCCESS(str(summary)))
