"""Import events from iCalendar files: the one place used by ``manage.py import_ics`` and the admin.

A file is read once, in order, one VEVENT at a time (``reading.FileReader``: the file is never
parsed whole), and written in one edit (``events.changes.edit``: one transaction, at most one
SEQUENCE step per event). Nothing stays written unless the whole file is accepted:

1. Syntax and 2. meaning (``reading``): every line is well formed and each VEVENT becomes an
   ``Item``; else the file is refused with every such problem and its line, and the transaction
   rolled back.
3. Writing, in batches of ``BATCH`` events as they are read: one query finds the batch's events
   already on the site (matched by UID, ``ical_uid``, so importing the same file again updates
   instead of duplicating), which are saved through the admin's services (``events.services``);
   the new ones are validated as those services validate (``full_clean()``, the checks and
   uniqueness left to the database) and written by one ``bulk_create()``, recorded like any write.
   If the database refuses a batch, it is written again row by row through the services, which
   name the row and its line. Sessions (VEVENTs whose RELATED-TO names an event in the file or in
   the database) follow their event.

Recurring events become series: RRULE is the event's ``recurrence_rule``; EXDATE, RDATE and override
VEVENTs (same UID with RECURRENCE-ID, anywhere in the file) become its ``OccurrenceChange`` rows,
replacing the old ones through ``services.event_occurrence_changes_save``. Series and overrides
(few in a calendar) are kept until the file is read and written last, as are VEVENTs whose
RELATED-TO names an event not yet read. Recurrence the site cannot represent is skipped, saying why;
malformed recurrence values are problems naming their line.

Memory: the file's text, one batch, the last ``RECENT_PARENTS`` UIDs, the series, overrides and
sessions kept for the end (few in a calendar), and the summary's titles; not the parsed file, nor
the events written.
"""

import collections
import contextlib
import zoneinfo
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext

from events_site import rich_text

from .. import changes, recurrence, services
from ..models import Event, OccurrenceChange, Session, Venue
from ..zones import exclusive_end_date, last_day_before
from .builder import ICAL_STATUS, description_frame
from .reading import (
    CalendarImportError,
    CalendarZoneMoved,
    FileReader,
    Skipped,
    decode,
    event_place,
    read_vevents,
)
from .stored import batched


@dataclass
class ImportSummary:
    """What an import did: titles created, updated and skipped (with the reason)."""

    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    skipped: list = field(default_factory=list)

    def __str__(self):
        lines = [
            gettext("Created %(created)s, updated %(updated)s, skipped %(skipped)s.")
            % {"created": len(self.created), "updated": len(self.updated), "skipped": len(self.skipped)}
        ]
        lines += [gettext("Created: %(title)s") % {"title": title} for title in self.created]
        lines += [gettext("Updated: %(title)s") % {"title": title} for title in self.updated]
        lines += [
            gettext("Skipped: %(title)s (%(reason)s)") % {"title": title, "reason": reason}
            for title, reason in self.skipped
        ]
        return "\n".join(lines)


@dataclass(frozen=True)
class SeriesShape:
    """How a series reads the dates of its exceptions: its zone, all-day or timed, the wall-clock
    time and length of its first occurrence, and the title and status occurrences inherit."""

    zone: zoneinfo.ZoneInfo
    all_day: bool
    start_time: time
    length: timedelta  # all-day: whole days; timed: the absolute duration, as exports add it
    title: str
    status: str

    @classmethod
    def of_item(cls, item):
        zone = zoneinfo.ZoneInfo(item.timezone)
        if item.all_day:
            return cls(zone, True, time(), item.end - item.start, item.title, item.status)
        length = item.end.astimezone(UTC) - item.start.astimezone(UTC)
        return cls(zone, False, item.start.astimezone(zone).time(), length, item.title, item.status)

    @classmethod
    def of_event(cls, event):
        if event.all_day:
            length = exclusive_end_date(event.end_date) - event.start_date
            return cls(event.zone, True, time(), length, event.title, event.status)
        return cls(
            event.zone, False, event.local_start.time(), event.end - event.start, event.title, event.status
        )

    def moment(self, value):
        """An exception's date or date-time as the aware original start our rows store.

        All-day series: local midnight of the date (a date-time counts by its local date). Timed
        series: the instant (floating times on the series' wall clock; a bare date at the time of
        day the series starts, as clients that write DATE exceptions for timed series mean it).
        """
        if self.all_day:
            if isinstance(value, datetime):
                value = (value.astimezone(self.zone) if value.tzinfo else value).date()
            return datetime.combine(value, time(), self.zone)
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=self.zone)
        return datetime.combine(value, self.start_time, self.zone)

    def usual_end(self, begins):
        """When an occurrence that begins at ``begins`` (aware) ends unless it is changed."""
        if self.all_day:
            return datetime.combine(begins.astimezone(self.zone).date() + self.length, time(), self.zone)
        return begins.astimezone(UTC) + self.length

    def only_what_differs(self, fields):
        """A change's fields with what the occurrence has anyway (its original start, its usual end,
        the series' title, a status calendars read the same) left empty: the one form a change is
        stored and compared in, whether it came from a file or from the database."""
        start, end, status = fields["start"], fields["end"], fields["status"]
        same_status = status and ICAL_STATUS[status] == ICAL_STATUS[self.status]
        return fields | {
            "start": None if start == fields["original_start"] else start,
            "end": None
            if end is not None and end == self.usual_end(start or fields["original_start"])
            else end,
            "title": "" if fields["title"] == self.title else fields["title"],
            "status": "" if same_status else status,
        }


def change_from_override(override, shape):
    """The ``OccurrenceChange`` fields of an override VEVENT (RECURRENCE-ID) of a series.

    Only what differs from the occurrence is kept (start, end, title, status), so exporting the
    series writes the same override again and importing that file again changes nothing.
    """
    if override.all_day != shape.all_day:
        if shape.all_day:
            problem = gettext(
                "%(place)s: this changed occurrence must give dates (VALUE=DATE) like the event it changes."
            )
        else:
            problem = gettext(
                "%(place)s: this changed occurrence must give date-times like the event it changes."
            )
        raise CalendarImportError([problem % {"place": override.where}])
    if shape.all_day:
        start, end = (datetime.combine(day, time(), shape.zone) for day in (override.start, override.end))
    else:
        start, end = override.start, override.end
    return shape.only_what_differs(
        {
            "kind": OccurrenceChange.Kind.CHANGE,
            "original_start": shape.moment(override.recurrence_id),
            "start": start,
            "end": end,
            "title": override.title if override.title_given else "",
            "status": override.status if override.status_given else "",
        }
    )


def _change_key(fields, shape=None):
    """A change row's meaning, comparable between the database and a file (instants in UTC).

    With the series' ``shape``, a change that gives the start, end, title or status the date has
    anyway means the same as one that leaves them empty (``SeriesShape.only_what_differs``)."""
    if shape is not None and fields["kind"] == OccurrenceChange.Kind.CHANGE:
        fields = shape.only_what_differs(fields)
    moments = (fields["original_start"], fields["start"], fields["end"])
    utc = tuple(moment.astimezone(UTC) if moment else None for moment in moments)
    return (str(fields["kind"]), *utc, fields["title"], str(fields["status"]))


def _change_fields(row):
    """An ``OccurrenceChange`` row as the fields dict the file's exceptions are read into."""
    names = ("kind", "original_start", "start", "end", "title", "status")
    return {name: getattr(row, name) for name in names}


def own_description(text, current="", frames=()):
    """The formatted description a VEVENT's plain DESCRIPTION gives a row (its address already
    taken off by ``reading``).

    ``frames``: the paragraphs our exports put around the row's description (``builder.
    description_frame``: summary before it; registration and contact after), one frame per
    language a file of ours may be in; each part is taken off where one of them fits. A
    DESCRIPTION that says in plain text what the row's formatted text says keeps that text:
    importing our own export, in any of the site's languages, changes nothing.
    """
    paragraphs = [part.strip() for part in text.split("\n\n")] if text.strip() else []
    befores = [list(before) for before, _after in frames if before]
    afters = [list(after) for _before, after in frames if after]
    if before := next((part for part in befores if paragraphs[: len(part)] == part), None):
        paragraphs = paragraphs[len(before) :]
    if after := next((part for part in afters if paragraphs[len(paragraphs) - len(part) :] == part), None):
        paragraphs = paragraphs[: len(paragraphs) - len(after)]
    plain = "\n\n".join(paragraphs)
    if current and rich_text.to_plain_text(current) == plain:
        return current
    return rich_text.from_plain_text(plain)


def in_each_language(compute):
    """``compute()`` in the language in use, then in each other language of the site, one at a
    time (a caller that finds what it looks for stops there)."""
    current = translation.get_language()
    yield compute()
    for code, _name in settings.LANGUAGES:
        if code != current:
            with translation.override(code):
                yield compute()


def shows_location(event, location):
    """Whether ``location`` is the LOCATION our files write for ``event`` ("Hofburg, Vienna, Austria
    and online via Zoom"), in any of the site's languages ("… et en ligne via Zoom")."""
    return any(location == shown for shown in in_each_language(lambda: event.location_display))


def description_frames(event):
    """The frame our files put around ``event``'s description, in each of the site's languages
    (``builder.description_frame``; the first is the one of the language in use)."""
    frames = []
    for frame in in_each_language(lambda: description_frame(event)):
        if frame not in frames:
            frames.append(frame)
    return frames


def _status(item, current):
    """The row's status for a VEVENT's STATUS: kept when the file says what it already says
    (CONFIRMED is scheduled, rescheduled and moved online alike)."""
    if current and (not item.status_given or ICAL_STATUS[item.status] == ICAL_STATUS[current]):
        return current
    return item.status


def _rule(item, current):
    """The row's RRULE for a VEVENT's: kept when the file writes the same parts (in icalendar's
    order, with UNTIL as exports write it)."""
    same = (
        current is not None
        and current.recurrence_rule
        and item.rule
        and recurrence.rule_parts(recurrence.exported_rule(current)) == recurrence.rule_parts(item.rule)
    )
    return current.recurrence_rule if same else item.rule


def _schedule(item):
    """The model fields an item's times set (all-day: the dates; timed: the instants)."""
    if item.all_day:
        return {"all_day": True, "start_date": item.start, "end_date": last_day_before(item.end)}
    return {"all_day": False, "start": item.start, "end": item.end}


# Events written together (``Importer.flush``): one query finds those already on the site, one
# writes the new ones. The run reports its progress after each batch.
BATCH = 500
# How many of the last events read a session may name and be written with its batch (others wait
# for the end of the file).
RECENT_PARENTS = 1000


def _no_progress(stage, done, total):
    pass


class Importer:
    """One import run: reads a file's VEVENTs in order and writes them in batches (see the module's
    docstring); keeps what it did (``summary``)."""

    def __init__(self, *, publish, progress=_no_progress, total=0):
        self.publish = publish
        self.progress, self.total = progress, total
        self.summary = ImportSummary()
        self.slugs = set()  # slugs given out and not yet written
        self.numbered = {}  # (model, slug base): the number its last slug was given (1: none)
        self.venues = {}  # by name: the venues this run has looked up or created
        self.batch = []  # (item, is a session) waiting to be written
        self.batch_uids = set()
        # The UIDs of the last one-off events read without RELATED-TO (a file gives an event's
        # sessions after it): a session of one of them is written with the batch.
        self.recent_parents = collections.OrderedDict()
        self.series, self.overrides = [], []  # written once the file is read
        self.undecided = []  # items with RELATED-TO naming an event not (yet) read as a one-off
        self.skipped_uids = set()
        self.read = 0
        self.reading_problems, self.writing_problems = [], []

    def run(self, reader):
        """Read and write the file of ``reader`` (``FileReader``) in one edit; all or nothing."""
        self.progress("saving", 0, self.total)
        with changes.edit():
            for outcome in read_vevents(reader):
                self.read += 1
                if reader.problems:  # a file with syntax problems is refused with those alone
                    continue
                if isinstance(outcome, list):
                    self.reading_problems += outcome
                elif isinstance(outcome, Skipped):
                    self.summary.skipped.append((outcome.title, outcome.reason))
                    self.skipped_uids.add(outcome.uid)
                elif not self.refused:
                    self.writing(self.take, outcome)
            problems = reader.problems or self.reading_problems or self.writing_problems
            if not problems:
                self.writing(self.finish)
                problems = self.writing_problems
            if problems:
                raise CalendarImportError(problems)
        return self.summary

    @property
    def refused(self):
        return bool(self.reading_problems or self.writing_problems)

    def writing(self, write, *args):
        """Run a write; a problem it finds refuses the file, and the reading goes on to find the
        file's other problems (those are reported first, as before any write)."""
        try:
            write(*args)
        except CalendarImportError as error:
            self.writing_problems += error.problems

    def take(self, item):
        """An item read: an override or a series kept for the end, an event or a session of one
        already read put in the batch, another item with RELATED-TO kept until the end."""
        if item.is_override:
            self.overrides.append(item)
        elif item.parent_uid and item.parent_uid != item.uid:
            if item.parent_uid in self.recent_parents and not item.rule:
                self.add(item, session=True)
            else:
                self.undecided.append(item)
        else:
            self.take_event(item)

    def take_event(self, item):
        if item.rule:
            self.series.append(item)
            return
        if not item.parent_uid:
            self.recent_parents[item.uid] = True
            if len(self.recent_parents) > RECENT_PARENTS:
                self.recent_parents.popitem(last=False)
        self.add(item)

    def add(self, item, *, session=False):
        if item.uid in self.batch_uids:  # the same UID again: the first is written first
            self.flush()
        self.batch.append((item, session))
        self.batch_uids.add(item.uid)
        if len(self.batch) >= BATCH:
            self.flush()

    def flush(self):
        """Write the batch: its events, then its sessions."""
        batch, self.batch, self.batch_uids = self.batch, [], set()
        written = self.write_events([item for item, session in batch if not session])
        sessions = [item for item, session in batch if session]
        if sessions:
            needed = {item.parent_uid for item in sessions} - set(written)
            written |= {event.ical_uid: event for event in Event.objects.filter(ical_uid__in=needed)}
            self.write_sessions([(item, written[item.parent_uid]) for item in sessions])
        self.slugs.clear()  # written now: the database knows them
        if batch:
            self.progress("saved", self.read, max(self.total, self.read))

    def finish(self):
        """Once the file is read: the items with RELATED-TO decided, then the series and their
        changed dates, then the sessions that waited for their event."""
        self.flush()
        later = []
        # A parent: an event on the site (the file's one-off events are written by now), or a
        # series of the file without RELATED-TO.
        parents = {item.uid for item in self.series if not item.parent_uid}
        needed = sorted({item.parent_uid for item in self.undecided} - parents)
        for uids in batched(needed, BATCH):
            parents |= set(Event.objects.filter(ical_uid__in=uids).values_list("ical_uid", flat=True))
        for item in self.undecided:
            if item.parent_uid in parents:
                if item.rule:
                    self.skipped_uids.add(item.uid)
                    self.summary.skipped.append(
                        (item.title, gettext("a session (RELATED-TO an event) cannot repeat"))
                    )
                else:
                    later.append(item)
            else:
                self.take_event(item)
        self.undecided = []
        self.flush()
        dates_apart, merges = series_changes(self.series, self.overrides, self.skipped_uids, self.summary)
        for item in self.series:
            self.save_event(item, dates_apart.get(item.uid, ()))
        for event, (fields, item) in merges.items():
            self.merge_overrides(event, fields, item)
        for item in later:
            self.add(item, session=True)
        self.flush()

    def write_events(self, items):
        """The batch's events written; returns them by UID."""
        if not items:
            return {}
        found = (
            Event.objects.filter(ical_uid__in=[item.uid for item in items])
            .select_related("venue")
            .prefetch_related("occurrence_changes")
        )
        existing = {event.ical_uid: event for event in found}
        written, new = {}, []
        for item in items:
            if item.uid in existing:
                written[item.uid] = self.save_event(item, (), existing[item.uid])
            else:
                new.append(item)
        written |= self.create_events(new)
        return written

    def create_events(self, items):
        """New events, with their slugs and venues, written together (``create_rows``)."""
        if not items:
            return {}
        rows = []
        for item, slug in zip(items, self.unique_slugs(Event, [item.title for item in items]), strict=True):
            event = Event(ical_uid=item.uid, slug=slug, is_published=self.publish, timezone=item.timezone)
            for name, value in self.event_values(item, None).items():
                setattr(event, name, value)
            rows.append((item, event))
        # The venue is one this run found or wrote (``venue_for``): not looked up again.
        self.create_rows(Event, rows, exclude=["venue"])
        return {item.uid: event for item, event in rows}

    def create_rows(self, model, rows, *, exclude):
        """New rows (``(item, row)`` pairs) validated one by one as the services validate them and
        written by one query; if the database refuses them, written again one by one through the
        services, which say which row and why."""
        for item, row in rows:
            with problems_of(item):
                # Uniqueness and the check constraints: the database's own, when the rows are written.
                row.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        if not rows:
            return
        try:
            with transaction.atomic():
                model.objects.bulk_create([row for _, row in rows])
        except IntegrityError:
            for item, row in rows:
                row.pk = None
                self.write(row, {}, item, created=True)
            return
        self.summary.created += [item.title for item, _ in rows]

    def write_sessions(self, pairs):
        """Sessions with their events: those on the site found by one query and saved through the
        services, the new ones written together (``create_rows``)."""
        found = Session.objects.filter(ical_uid__in=[item.uid for item, _ in pairs])
        existing = {session.ical_uid: session for session in found}
        new = []
        for item, event in pairs:
            if item.uid in existing:
                self.save_session(item, event, existing[item.uid])
            else:
                session = Session(ical_uid=item.uid)
                for name, value in self.session_values(item, event, None).items():
                    setattr(session, name, value)
                new.append((item, session))
        # The event is the one just written or found: not looked up again.
        self.create_rows(Session, new, exclude=["event"])

    def unique_slugs(self, model, texts):
        """A slug for each text, free on the site and in this run: one query for the lot, and more
        only for a title already taken."""
        bases = [services.slug_base(model, slugify(text)[:190]) for text in texts]
        taken = set(model.objects.filter(slug__in=set(bases)).values_list("slug", flat=True))
        slugs = []
        for text, base in zip(texts, bases, strict=True):
            slug = base if base not in taken and base not in self.slugs else self.unique_slug(model, text)
            self.slugs.add(slug)
            slugs.append(slug)
        return slugs

    def unique_slug(self, model, text):
        """A free slug for ``text``; a title that comes again starts after the number it last got
        (a calendar of a thousand "Weekly meeting"s)."""
        base = services.slug_base(model, slugify(text)[:190])
        slug = services.unique_slug(model, base, taken=self.slugs, first=self.numbered.get((model, base), 1))
        self.numbered[model, base] = int(slug.rpartition("-")[2]) if slug != base else 1
        self.slugs.add(slug)
        return slug

    def venue_for(self, item):
        """The venue an event's LOCATION names: an existing one by name, or a new one (looked up
        once a run: a calendar names the same few places again and again)."""
        venue = self.venues.get(item.location) or Venue.objects.filter(name=item.location).first()
        if venue is None:
            venue = Venue(name=item.location, slug=self.unique_slug(Venue, item.location))
            with problems_of(item, field_names={"name": "location"}):
                services.row_save(row=venue)
        if venue.pk is not None:  # (a refused one is refused again, at its own line)
            self.venues[item.location] = venue
        return venue

    def event_values(self, item, event):
        """The fields the VEVENT gives its event (``event``: the one on the site, or None)."""
        if event is None:
            description, status = own_description(item.description), item.status
        else:
            description = own_description(item.description, event.description, description_frames(event))
            status = _status(item, event.status)
        values = {"title": item.title, "description": description, "status": status}
        values |= _schedule(item) | {"recurrence_rule": _rule(item, event)}
        if event is None or (event.timezone != item.timezone and not item.all_day):
            values["timezone"] = item.timezone
        if item.location and (event is None or not shows_location(event, item.location)):
            values |= {
                "venue": self.venue_for(item),
                "attendance_mode": Event.AttendanceMode.IN_PERSON,
            }
        return values

    def save_event(self, item, changes=(), event=None):
        """Create or update the event of a VEVENT (``event``: it, found already), through the
        admin's services; a series' EXDATE, RDATE and overrides replace its changes. Unchanged
        events are skipped, their SEQUENCE kept."""
        if event is None:
            event = Event.objects.filter(ical_uid=item.uid).select_related("venue").first()
        values = self.event_values(item, event)
        if event is None:
            event = Event(
                ical_uid=item.uid,
                slug=self.unique_slug(Event, item.title),
                is_published=self.publish,
                timezone=item.timezone,
            )
            self.write(event, values, item, created=True)
            if changes:
                self.replace_changes(event, changes, item)
            return event
        changes_differ = self.changes_differ(event, changes)
        if changes_differ:
            self.replace_changes(event, changes, item)
        if any(getattr(event, name) != value for name, value in values.items()):
            self.write(event, values, item, created=False)
        elif changes_differ:
            self.summary.updated.append(item.title)
        else:
            self.summary.skipped.append((item.title, gettext("unchanged")))
        return event

    def merge_overrides(self, event, changes, item):
        """Changed occurrences of a series already on the site (its master VEVENT is not in the
        file): each replaces the row for its date; the series' other changes stay."""
        merged = {row.original_start: _change_fields(row) for row in event.occurrence_changes.all()}
        merged |= {fields["original_start"]: fields for fields in changes}
        if not self.changes_differ(event, merged.values()):
            self.summary.skipped.append((event.title, gettext("unchanged")))
            return
        self.replace_changes(event, merged.values(), item)
        self.summary.updated.append(event.title)

    @staticmethod
    def changes_differ(event, changes):
        """Whether the event's change rows mean something else than ``changes`` (fields dicts)."""
        shape = SeriesShape.of_event(event) if event.recurrence_rule else None
        current = {_change_key(_change_fields(row), shape) for row in event.occurrence_changes.all()}
        return current != {_change_key(fields, shape) for fields in changes}

    @staticmethod
    def replace_changes(event, changes, item):
        """The event's change rows become ``changes``, through the admin's service (the series'
        end written again, SEQUENCE stepped once in the import's edit)."""
        rows = [OccurrenceChange(**fields) for fields in changes]
        with problems_of(item):
            services.event_occurrence_changes_save(
                event=event, saved=rows, deleted=list(event.occurrence_changes.all())
            )

    @staticmethod
    def session_values(item, event, session):
        """The fields the VEVENT gives its session (``session``: the one on the site, or None)."""
        location = "" if shows_location(event, item.location) else item.location
        description = own_description(item.description, session.description if session else "")
        values = {"event": event, "title": _session_title(item.title, event), "description": description}
        return values | {"location": location, **_schedule(item)}

    def save_session(self, item, event, session=None):
        values = self.session_values(item, event, session)
        if session is None:
            self.write(Session(ical_uid=item.uid), values, item, created=True)
        elif any(getattr(session, name) != value for name, value in values.items()):
            self.write(session, values, item, created=False)
        else:
            self.summary.skipped.append((item.title, gettext("unchanged")))

    def write(self, obj, values, item, *, created):
        """Save through the admin's services (validated, one edit)."""
        for name, value in values.items():
            setattr(obj, name, value)
        with problems_of(item):
            if isinstance(obj, Event):
                services.event_save(event=obj)
            else:
                services.row_save(row=obj)
        (self.summary.created if created else self.summary.updated).append(item.title)


@contextlib.contextmanager
def problems_of(item, field_names=None):
    """A ``ValidationError`` of a service turned into problems that name the line and the field."""
    field_names = field_names or {}
    try:
        yield
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            problems = [
                f"{item.where}: {field_names.get(name, name).replace('_', ' ')}: {' '.join(messages)}"
                for name, messages in error.message_dict.items()
            ]
        else:
            problems = [f"{item.where}: {' '.join(error.messages)}"]
        raise CalendarImportError(problems) from error


def _session_title(title, event):
    """Our exports write "Event: Session"; the session itself is called "Session"."""
    prefix = f"{event.title}: "
    return title[len(prefix) :] if title.startswith(prefix) and len(title) > len(prefix) else title


def series_changes(events, overrides, skipped_uids, summary):
    """The change rows each series of the file gets, and those for series already on the site.

    ``events``: the file's series (its one-off events are written by now: the database knows them).

    Returns ``({uid: [fields, ...]}, {event: ([fields, ...], first override)})``; raises
    CalendarImportError for exceptions that cannot be read, and notes overrides it must skip.
    """
    problems, by_uid, seen = [], {}, {}
    for override in overrides:
        key = (override.uid, _recurrence_id_key(override.recurrence_id))
        if key in seen:
            problems.append(
                gettext(
                    "%(place)s: RECURRENCE-ID: this occurrence is already changed at %(first)s "
                    "(one change per UID and RECURRENCE-ID)."
                )
                % {
                    "place": event_place(override.recurrence_id_line, override.title),
                    "first": seen[key].recurrence_id_line,
                }
            )
        seen[key] = override
        by_uid.setdefault(override.uid, []).append(override)
    masters = {item.uid: item for item in events}
    changes, merges = {}, {}
    for item in events:
        if item.rule:
            try:
                changes[item.uid] = _changes_of(
                    item, by_uid.get(item.uid, []), SeriesShape.of_item(item), summary
                )
            except CalendarImportError as error:
                problems += error.problems
    on_site, one_off = {}, set()
    for uids in batched(sorted(set(by_uid) - set(masters)), BATCH):
        for event in Event.objects.filter(ical_uid__in=uids):
            if event.recurrence_rule:
                on_site[event.ical_uid] = event
            else:
                one_off.add(event.ical_uid)
    for uid, group in by_uid.items():
        master = masters.get(uid)
        reason = None
        if uid in skipped_uids:
            reason = gettext("the event it changes is not imported (see above)")
        elif uid in one_off:
            reason = gettext("the event with its UID does not repeat (no RRULE)")
        elif master is None and uid not in on_site:
            reason = gettext("no repeating event with its UID is in the file or on the site")
        if reason:
            reason = gettext("a changed occurrence: %(reason)s") % {"reason": reason}
            summary.skipped += [(override.title, reason) for override in group]
        elif master is None:
            event = on_site[uid]
            try:
                fields = [change_from_override(o, SeriesShape.of_event(event)) for o in group]
            except CalendarImportError as error:
                problems += error.problems
                continue
            merges[event] = (fields, group[0])
    if problems:
        raise CalendarImportError(problems)
    return changes, merges


def _recurrence_id_key(value):
    return value.astimezone(UTC) if isinstance(value, datetime) and value.tzinfo else value


def _changes_of(item, overrides, shape, summary):
    """One series' rows: RDATE adds, EXDATE skips (winning over an RDATE of the same date), and
    overrides change or cancel (an override of a skipped or an added date is left out, saying so)."""
    rows = {}
    for value in item.rdates:
        rows[shape.moment(value)] = {"kind": OccurrenceChange.Kind.ADD}
    for value in item.exdates:
        rows[shape.moment(value)] = {"kind": OccurrenceChange.Kind.SKIP}
    problems = []
    for override in overrides:
        try:
            fields = change_from_override(override, shape)
        except CalendarImportError as error:
            problems += error.problems
            continue
        kind = rows.get(fields["original_start"], {}).get("kind")
        if kind == OccurrenceChange.Kind.SKIP:
            summary.skipped.append(
                (override.title, gettext("a changed occurrence of a date the event skips (EXDATE)"))
            )
        elif kind == OccurrenceChange.Kind.ADD:
            summary.skipped.append(
                (override.title, gettext("a change of an added date (RDATE) is not supported"))
            )
        else:
            rows[fields["original_start"]] = fields
    if problems:
        raise CalendarImportError(problems)
    blank = {"start": None, "end": None, "title": "", "status": ""}
    return [blank | {"original_start": start} | fields for start, fields in sorted(rows.items())]


def import_calendar(data, *, publish=True, progress=_no_progress) -> ImportSummary:
    """Import every VEVENT of an iCalendar file (bytes or text); all or nothing.

    ``progress(stage, done, total)`` is told how far the run got: ``"saving"`` once before the one
    transaction that reads and writes the file (``total``: the VEVENTs in it), then ``"saved"``
    inside it after each batch written (``done``: the VEVENTs read and written so far).
    """
    text, calendar_zone = decode(data), None
    while True:
        reader = FileReader(text, calendar_zone)
        importer = Importer(publish=publish, progress=progress, total=reader.vevents_in_file)
        try:
            return importer.run(reader)
        except CalendarZoneMoved as moved:  # (rolled back) read again with the calendar's own zone
            calendar_zone = moved.zone
