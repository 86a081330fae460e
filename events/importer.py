"""Import events from iCalendar files: the one place used by ``manage.py import_ics`` and the admin.

A file is read in three passes, and nothing is written unless all of them succeed:

1. Syntax: every (unfolded) line is ``NAME[;PARAM=...]:value`` and BEGIN/END nest; problems are
   reported with their line number.
2. Meaning: each VEVENT becomes an ``Item`` (all-day dates, or instants read from TZID, UTC or
   floating times; floating times are read in the file's X-WR-TIMEZONE, else the site's zone).
3. Writing, in one transaction: events first, then sessions (VEVENTs whose RELATED-TO names an
   event in the file or in the database). Rows are matched by UID (``ical_uid``), so importing the
   same file again updates instead of duplicating; every row passes ``full_clean()``.

Recurring events (RRULE) and single changed occurrences (RECURRENCE-ID) are skipped, saying so.
"""

import re
import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import icalendar
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from .models import Event, Session, Venue

NAME = r"[A-Za-z0-9-]+"
PARAM_VALUE = r'(?:"[^"]*"|[^";:,]*)'
CONTENT_LINE = re.compile(rf"{NAME}(?:;{NAME}={PARAM_VALUE}(?:,{PARAM_VALUE})*)*:")
# The largest file the command or the admin page accepts.
MAX_FILE_BYTES = 10_000_000
STATUS_FROM_ICAL = {"CANCELLED": Event.Status.CANCELLED, "TENTATIVE": Event.Status.POSTPONED}


class CalendarImportError(ValueError):
    """The file was rejected; ``problems`` says what is wrong and where. Nothing was imported."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("The calendar file was not imported: " + " ".join(self.problems))


@dataclass
class ImportSummary:
    """What an import did: titles created, updated and skipped (with the reason)."""

    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    skipped: list = field(default_factory=list)

    def __str__(self):
        lines = [f"Created {len(self.created)}, updated {len(self.updated)}, skipped {len(self.skipped)}."]
        lines += [f"Created: {title}" for title in self.created]
        lines += [f"Updated: {title}" for title in self.updated]
        lines += [f"Skipped: {title} ({reason})" for title, reason in self.skipped]
        return "\n".join(lines)


@dataclass
class Item:
    """One VEVENT, read and checked, ready to become an Event or a Session."""

    place: str  # "Line 12", where the VEVENT begins
    uid: str
    title: str
    all_day: bool
    start: date | datetime
    end: date | datetime  # exclusive
    timezone: str
    description: str = ""
    location: str = ""
    status: str = Event.Status.SCHEDULED
    parent_uid: str = ""

    @property
    def where(self):
        return f"{self.place} (event “{self.title}”)"


def content_lines(text):
    """[(line number, logical line), ...]: folded lines joined, blank lines dropped."""
    lines = []
    for number, raw in enumerate(re.split(r"\r\n|\n|\r", text), start=1):
        if raw[:1] in (" ", "\t") and lines:
            lines[-1] = (lines[-1][0], lines[-1][1] + raw[1:])
        elif raw.strip():
            lines.append((number, raw))
    return lines


def check_syntax(text):
    """Line-level problems (bad content lines, unbalanced BEGIN/END); also returns VEVENT lines."""
    problems, stack, vevent_lines = [], [], []
    lines = content_lines(text)
    if not lines or lines[0][1].upper() != "BEGIN:VCALENDAR":
        return ["Line 1: the file does not start with BEGIN:VCALENDAR, so it is not an iCalendar file."], []
    for number, line in lines:
        if not CONTENT_LINE.match(line):
            problems.append(f"Line {number}: “{line[:60]}” is not a valid iCalendar line (NAME:value).")
            continue
        name, _, value = line.partition(":")
        name = name.split(";")[0].upper()
        if name == "BEGIN":
            stack.append((value.upper(), number))
            if value.upper() == "VEVENT" and len(stack) == 2:
                vevent_lines.append(number)
        elif name == "END":
            if not stack or stack[-1][0] != value.upper():
                open_name = stack[-1][0] if stack else "nothing"
                problems.append(f"Line {number}: END:{value} does not close {open_name}.")
                continue
            stack.pop()
        elif not stack:
            problems.append(f"Line {number}: “{line[:60]}” is outside BEGIN:VCALENDAR … END:VCALENDAR.")
    problems += [f"Line {number}: BEGIN:{name} is never closed." for name, number in stack]
    return problems, vevent_lines


def _named_zone(component, value):
    """The IANA zone DTSTART names with TZID, if any (UTC "Z" times and custom zones name none)."""
    key = getattr(getattr(value, "tzinfo", None), "key", None)
    named = "TZID" in component["DTSTART"].params
    return key if named and key in zoneinfo.available_timezones() else None


def read_item(component, place, default_zone):
    """The VEVENT as an ``Item``, or a reason string to skip it; raises CalendarImportError."""
    title = str(component.get("SUMMARY", "")).strip() or "(no title)"
    where = f"{place} (event “{title}”)"
    problems = [f"{where}: {name} {message}" for name, message in component.errors]
    if "RRULE" in component or "RECURRENCE-ID" in component:
        return "recurring events are not imported"
    uid = str(component.get("UID", "")).strip()
    if not uid:
        problems.append(f"{where}: UID is missing, so the event could not be matched on a later import.")
    if "DTSTART" not in component:
        problems.append(f"{where}: DTSTART is missing.")
    if problems:
        raise CalendarImportError(problems)
    start = component.decoded("DTSTART")
    if "DTEND" in component:
        end = component.decoded("DTEND")
    elif "DURATION" in component:
        end = start + component.decoded("DURATION")
    else:  # RFC 5545 §3.6.1: a date lasts one day, a date-time has no duration
        end = start + timedelta(days=1) if not isinstance(start, datetime) else start
    all_day = not isinstance(start, datetime)
    if all_day == isinstance(end, datetime):
        raise CalendarImportError([f"{where}: DTSTART and DTEND must both be dates or both be date-times."])
    for name, value in (("DTSTART", start), ("DTEND", end)):
        tzid = component[name].params.get("TZID") if name in component else None
        if tzid and isinstance(value, datetime) and value.tzinfo is None:
            raise CalendarImportError(
                [f"{where}: {name} names the timezone “{tzid}”, which is unknown and has no VTIMEZONE."]
            )
    zone = _named_zone(component, start) or default_zone
    if not all_day:
        local = zoneinfo.ZoneInfo(zone)
        start, end = (value if value.tzinfo else value.replace(tzinfo=local) for value in (start, end))
    if end < start:
        raise CalendarImportError([f"{where}: DTEND is before DTSTART."])
    if all_day and end == start:  # a zero-length all-day item is read as one day
        end = start + timedelta(days=1)
    url = str(component.get("URL", ""))
    paragraphs = str(component.get("DESCRIPTION", "")).strip().split("\n\n")
    if url and paragraphs[-1].strip() == url:  # our own exports end with the page's address
        paragraphs.pop()
    related = component.get("RELATED-TO")
    parent_uid = ""
    if related is not None and str(related.params.get("RELTYPE", "PARENT")).upper() == "PARENT":
        parent_uid = str(related).strip()
    return Item(
        place=place,
        uid=uid,
        title=title,
        all_day=all_day,
        start=start,
        end=end,
        timezone=zone,
        description="\n\n".join(paragraphs).strip(),
        location=str(component.get("LOCATION", "")).strip(),
        status=STATUS_FROM_ICAL.get(str(component.get("STATUS", "")).upper(), Event.Status.SCHEDULED),
        parent_uid=parent_uid,
    )


def _schedule(item):
    """The model fields an item's times set (all-day: the dates; timed: the instants)."""
    if item.all_day:
        return {"all_day": True, "start_date": item.start, "end_date": item.end - timedelta(days=1)}
    return {"all_day": False, "start": item.start, "end": item.end}


def _unique_slug(model, text, taken, *, max_length=200):
    base = slugify(text)[: max_length - 10].strip("-") or "event"
    slug, number = base, 1
    while slug in taken or model.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    taken.add(slug)
    return slug


class Importer:
    """One import run: keeps the slugs it has taken and what it did."""

    def __init__(self, *, publish):
        self.publish = publish
        self.summary = ImportSummary()
        self.slugs = set()

    def venue_for(self, item):
        """The venue an event's LOCATION names: an existing one by name, or a new one."""
        venue = Venue.objects.filter(name=item.location).first()
        if venue is None:
            venue = Venue(name=item.location, slug=_unique_slug(Venue, item.location, self.slugs))
            _validate(venue, item, field_names={"name": "location"})
            venue.save()
        return venue

    def save_event(self, item):
        event = Event.objects.filter(ical_uid=item.uid).select_related("venue").first()
        values = {"title": item.title, "description": item.description, "status": item.status}
        values |= _schedule(item)
        if event is None or (event.timezone != item.timezone and not item.all_day):
            values["timezone"] = item.timezone
        if item.location and (event is None or event.location_display != item.location):
            values |= {
                "venue": self.venue_for(item),
                "attendance_mode": Event.AttendanceMode.IN_PERSON,
            }
        if event is None:
            event = Event(
                ical_uid=item.uid,
                slug=_unique_slug(Event, item.title, self.slugs),
                is_published=self.publish,
                timezone=item.timezone,
            )
            self.write(event, values, item, created=True)
        elif any(getattr(event, name) != value for name, value in values.items()):
            self.write(event, values, item, created=False)
        else:
            self.summary.skipped.append((item.title, "unchanged"))
        return event

    def save_session(self, item, event):
        session = Session.objects.filter(ical_uid=item.uid).first()
        location = "" if item.location == event.location_display else item.location
        values = {"event": event, "title": _session_title(item.title, event), "description": item.description}
        values |= {"location": location, **_schedule(item)}
        if session is None:
            self.write(Session(ical_uid=item.uid), values, item, created=True)
        elif any(getattr(session, name) != value for name, value in values.items()):
            self.write(session, values, item, created=False)
        else:
            self.summary.skipped.append((item.title, "unchanged"))

    def write(self, obj, values, item, *, created):
        for name, value in values.items():
            setattr(obj, name, value)
        _validate(obj, item)
        obj.save()
        (self.summary.created if created else self.summary.updated).append(item.title)


def _validate(obj, item, field_names=None):
    """``full_clean()``, its messages turned into problems that name the line and the field."""
    field_names = field_names or {}
    try:
        obj.full_clean()
    except ValidationError as error:
        problems = [
            f"{item.where}: {field_names.get(name, name).replace('_', ' ')}: {' '.join(messages)}"
            for name, messages in error.message_dict.items()
        ]
        raise CalendarImportError(problems) from error


def _session_title(title, event):
    """Our exports write "Event: Session"; the session itself is called "Session"."""
    prefix = f"{event.title}: "
    return title[len(prefix) :] if title.startswith(prefix) and len(title) > len(prefix) else title


def decode(data):
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CalendarImportError(
            [f"Byte {error.start}: the file is not UTF-8 text (iCalendar files must be UTF-8)."]
        ) from error


def import_calendar(data, *, publish=True) -> ImportSummary:
    """Import every VEVENT of an iCalendar file (bytes or text); all or nothing."""
    text = decode(data)
    problems, vevent_lines = check_syntax(text)
    if problems:
        raise CalendarImportError(problems)
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except ValueError as error:
        raise CalendarImportError([f"The file could not be read as iCalendar: {error}"]) from error
    default_zone = str(calendar.get("X-WR-TIMEZONE", "")).strip()
    if default_zone not in zoneinfo.available_timezones():
        default_zone = settings.TIME_ZONE
    importer = Importer(publish=publish)
    items, problems = [], []
    vevents = [c for c in calendar.subcomponents if c.name == "VEVENT"]
    # Our scan and icalendar agree on the VEVENTs of any well-formed file; where a damaged one
    # makes them differ, events are named by their position instead of their line.
    if len(vevent_lines) == len(vevents):
        places = [f"Line {line}" for line in vevent_lines]
    else:
        places = [f"Event {number} of the file" for number in range(1, len(vevents) + 1)]
    for component, place in zip(vevents, places, strict=True):
        try:
            item = read_item(component, place, default_zone)
        except CalendarImportError as error:
            problems += error.problems
            continue
        except (ValueError, TypeError, KeyError, AttributeError) as error:  # what icalendar may raise
            problems.append(f"{place}: the event could not be read ({error}).")
            continue
        if isinstance(item, str):
            importer.summary.skipped.append((str(component.get("SUMMARY", "(no title)")), item))
        else:
            items.append(item)
    if problems:
        raise CalendarImportError(problems)
    # Sessions hang off an event of this file (one without a parent) or one already imported;
    # anything else (a parent that is itself a session, or unknown) is imported as an event.
    parents = {item.uid for item in items if not item.parent_uid}
    parents |= set(
        Event.objects.filter(ical_uid__in={i.parent_uid for i in items}).values_list("ical_uid", flat=True)
    )
    sessions = [item for item in items if item.parent_uid in parents and item.parent_uid != item.uid]
    events = [item for item in items if not any(item is session for session in sessions)]
    with transaction.atomic():
        saved = {item.uid: importer.save_event(item) for item in events}
        for item in sessions:
            parent = saved.get(item.parent_uid) or Event.objects.get(ical_uid=item.parent_uid)
            importer.save_session(item, parent)
    return importer.summary
