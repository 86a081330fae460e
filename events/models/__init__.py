"""The calendar's data, one module a concept.

* ``schedule``: how an item's time is stored (``Scheduled``: instants and dates, see its docstring);
* ``taxonomy``: categories and tags, shared with articles;
* ``places``: venues and organizers;
* ``event``: events, and which of them are shown (``EventQuerySet``);
* ``programme``: sessions, documents, and a series' dates handled apart from its rule;
* ``records``: who changed what, the content revision and each event's stored calendar text;
* ``imports``: an .ics import started in the admin and run in the background.
"""

from .event import Event, EventQuerySet, feed_window_start
from .imports import CalendarImport
from .places import Organizer, Venue, VenueQuerySet
from .programme import Document, OccurrenceChange, Session, document_upload_to
from .records import ContentRevision, EditorialRecord, EventFeedText
from .schedule import CalendarEntry, Scheduled, default_timezone, new_ical_uid, zone_named
from .taxonomy import Category, Tag, Term

__all__ = [
    "CalendarEntry",
    "CalendarImport",
    "Category",
    "ContentRevision",
    "Document",
    "EditorialRecord",
    "Event",
    "EventFeedText",
    "EventQuerySet",
    "OccurrenceChange",
    "Organizer",
    "Scheduled",
    "Session",
    "Tag",
    "Term",
    "Venue",
    "VenueQuerySet",
    "default_timezone",
    "document_upload_to",
    "feed_window_start",
    "new_ical_uid",
    "zone_named",
]
