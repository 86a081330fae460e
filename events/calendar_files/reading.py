"""Reading an iCalendar file for import: syntax, then meaning, with line-numbered problems.

The first two passes of ``importer``: every (unfolded) line is ``NAME[;PARAM=...]:value`` and
BEGIN/END nest; each VEVENT becomes an ``Item`` (all-day dates, or instants read from TZID, UTC or
floating times; floating times are read in the file's X-WR-TIMEZONE, else the site's zone), with
its recurrence (RRULE, EXDATE, RDATE, RECURRENCE-ID) checked. Nothing here writes.
"""

import collections
import contextlib
import functools
import logging
import multiprocessing
import os
import re
import zoneinfo
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import django
import icalendar
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext

from .. import recurrence
from ..calendar import FIRST_YEAR, LAST_YEAR, day_is_valid
from ..models import Event
from ..zones import is_timezone_name
from .stored import batched

NAME = r"[A-Za-z0-9-]+"
PARAM_VALUE = r'(?:"[^"]*"|[^";:,]*)'
CONTENT_LINE = re.compile(rf"{NAME}(?:;{NAME}={PARAM_VALUE}(?:,{PARAM_VALUE})*)*:")
logger = logging.getLogger(__name__)
STATUS_FROM_ICAL = {"CANCELLED": Event.Status.CANCELLED, "TENTATIVE": Event.Status.POSTPONED}


def line_place(number):
    """ "Line 14": where a problem is, in the editor's language."""
    return gettext("Line %(number)s") % {"number": number}


def event_place(place, title):
    """ "Line 14 (event “Opening”)"."""
    return gettext("%(place)s (event “%(title)s”)") % {"place": place, "title": title}


class CalendarImportError(ValueError):
    """The file was rejected; ``problems`` says what is wrong and where. Nothing was imported."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("The calendar file was not imported: " + " ".join(self.problems))


def import_size_limit():
    """The largest file an import reads, in bytes (``settings.ICS_IMPORT_MAX_BYTES``)."""
    return settings.ICS_IMPORT_MAX_BYTES


def too_large_message(limit=None):
    megabytes = (limit or import_size_limit()) / 1_000_000
    shown = number_format(round(megabytes), force_grouping=True) if megabytes >= 1 else f"{megabytes:.3g}"
    return gettext("The file is larger than %(megabytes)s MB, the largest an import reads.") % {
        "megabytes": shown
    }


def read_at_most(chunks, limit=None):
    """The bytes of ``chunks`` (an iterable of bytes), refused with ``CalendarImportError`` as soon
    as they pass ``limit`` (default: the import limit), before the rest is read."""
    limit = limit or import_size_limit()
    parts, size = [], 0
    for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise CalendarImportError([too_large_message(limit)])
        parts.append(chunk)
    return b"".join(parts)


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
    rule: str = ""  # the normalized RRULE of a series
    exdates: list = field(default_factory=list)  # raw values, read in the series' zone later
    rdates: list = field(default_factory=list)
    recurrence_id: date | datetime | None = None  # an override: the occurrence it replaces (raw)
    recurrence_id_line: str = ""  # "Line 14"
    title_given: bool = True  # an override without SUMMARY keeps its series' title
    status_given: bool = True  # ... and one without STATUS its series' status

    @property
    def where(self):
        return event_place(self.place, self.title)

    @property
    def is_override(self):
        return self.recurrence_id is not None


_LINE_BREAK = re.compile(r"\r\n|\n|\r")


def physical_lines(text):
    """The file's lines, one at a time (a list of them all would take several times the file)."""
    start = 0
    for found in _LINE_BREAK.finditer(text):
        yield text[start : found.start()]
        start = found.end()
    yield text[start:]


def content_lines(text):
    """(line number, logical line) for each content line, one at a time: folded lines joined,
    blank lines dropped."""
    current, parts = None, []
    for number, raw in enumerate(physical_lines(text), start=1):
        if raw[:1] in (" ", "\t") and current is not None:
            parts.append(raw[1:])
        elif raw.strip():
            if current is not None:
                yield current, "".join(parts)
            current, parts = number, [raw]
    if current is not None:
        yield current, "".join(parts)


@dataclass
class VeventLines:
    """Where a VEVENT begins, and the line of each of its own properties, by name, in file order."""

    place: str  # "Line 12"
    properties: dict = field(default_factory=dict)

    def of(self, name, index=0):
        """ "Line 14" for the ``index``-th ``name`` property, or where the VEVENT begins."""
        numbers = self.properties.get(name, [])
        return line_place(numbers[index]) if index < len(numbers) else self.place


# A calendar's own timezone (floating times are read in it), and its timezone definitions, found
# before the events are read (RFC 5545 lets them come anywhere in the file).
_CALENDAR_ZONE = re.compile(r"^X-WR-TIMEZONE(?:;[^:\r\n]*)?:([^\r\n]*)", re.MULTILINE | re.IGNORECASE)
_VTIMEZONE = re.compile(
    r"^BEGIN:VTIMEZONE\r?$.*?^END:VTIMEZONE\r?$", re.MULTILINE | re.DOTALL | re.IGNORECASE
)


class CalendarZoneMoved(Exception):
    """The calendar's X-WR-TIMEZONE is another than the file's first such line (that one was inside
    an event): the events are read again with it."""

    def __init__(self, zone):
        self.zone = zone


class FileReader:
    """One pass over a file, in order: syntax problems as they are found, and each top-level
    VEVENT, as it closes, as text to parse on its own (the file is never parsed whole: icalendar's
    tree takes some 4 KB an event).

    ``problems`` holds the syntax problems (bad content lines, unbalanced BEGIN/END); a VEVENT with
    one is not given out. Timezone definitions (VTIMEZONE) are read first, wherever they are, so an
    event may name one defined after it, as RFC 5545 allows.
    """

    def __init__(self, text, default_zone=None):
        self.text = text
        self.problems = []
        if default_zone is None:
            found = _CALENDAR_ZONE.search(text)
            default_zone = found.group(1).strip() if found else ""
        self.assumed_zone = default_zone
        self.default_zone = default_zone if is_timezone_name(default_zone) else settings.TIME_ZONE
        self.vevents_given = 0
        for definition in _VTIMEZONE.finditer(text):
            # icalendar keeps each zone it reads; a broken one is reported where it is.
            with contextlib.suppress(ValueError, KeyError, TypeError):
                icalendar.Timezone.from_ical(definition.group())

    @functools.cached_property
    def vevents_in_file(self):
        """About how many events the file holds (for progress; the reading counts them exactly)."""
        return len(re.findall(r"^BEGIN:VEVENT\r?$", self.text, re.MULTILINE | re.IGNORECASE))

    def vevents(self):
        """(``VeventLines``, the VEVENT's content lines) for each top-level VEVENT, in file order."""
        problems, stack = self.problems, []
        lines = content_lines(self.text)
        first = next(lines, None)
        if first is None or first[1].upper() != "BEGIN:VCALENDAR":
            problems.append(
                gettext(
                    "%(place)s: the file does not start with BEGIN:VCALENDAR, so it is not an iCalendar file."
                )
                % {"place": line_place(1)}
            )
            return
        stack.append(("VCALENDAR", first[0]))
        block, block_lines, block_broken, calendars, zone_seen = None, None, False, 1, False
        for number, line in lines:
            if "\x00" in line:
                problems.append(
                    gettext("%(place)s: a NUL character is not allowed in an iCalendar file.")
                    % {"place": line_place(number)}
                )
                block_broken = True
                continue
            if not CONTENT_LINE.match(line):
                problems.append(
                    gettext("%(place)s: “%(line)s” is not a valid iCalendar line (NAME:value).")
                    % {"place": line_place(number), "line": line[:60]}
                )
                block_broken = True
                continue
            name, _, value = line.partition(":")
            name = name.split(";")[0].upper()
            if block is not None:
                block.append(line)
            if name == "BEGIN":
                stack.append((value.upper(), number))
                if len(stack) == 1:
                    calendars += 1
                    if calendars == 2:
                        problems.append(
                            gettext("%(place)s: a second calendar; a file holds one (BEGIN:VCALENDAR).")
                            % {"place": line_place(number)}
                        )
                elif value.upper() == "VEVENT" and len(stack) == 2:
                    block, block_lines, block_broken = [line], VeventLines(line_place(number)), False
            elif len(stack) == 2 and stack[-1][0] == "VEVENT" and name != "END":
                block_lines.properties.setdefault(name, []).append(number)
            elif name == "END":
                if not stack or stack[-1][0] != value.upper():
                    open_name = stack[-1][0] if stack else "nothing"
                    problems.append(
                        gettext("%(place)s: END:%(name)s does not close %(open)s.")
                        % {"place": line_place(number), "name": value, "open": open_name}
                    )
                    block_broken = True
                    continue
                stack.pop()
                if block is not None and len(stack) == 1:
                    if not block_broken:
                        self.vevents_given += 1
                        yield block_lines, "\r\n".join(block)
                    block = block_lines = None
            elif not stack:
                problems.append(
                    gettext("%(place)s: “%(line)s” is outside BEGIN:VCALENDAR … END:VCALENDAR.")
                    % {"place": line_place(number), "line": line[:60]}
                )
            elif len(stack) == 1 and name == "X-WR-TIMEZONE" and not zone_seen:
                zone_seen = True
                self._calendar_zone_is(value.strip())
        if not zone_seen:
            self._calendar_zone_is("")
        problems += [
            gettext("%(place)s: BEGIN:%(name)s is never closed.")
            % {"place": line_place(number), "name": name}
            for name, number in stack
        ]

    def _calendar_zone_is(self, zone):
        """The calendar's own X-WR-TIMEZONE ("": none) is found: events read with another one
        assumed are read again (``CalendarZoneMoved``)."""
        if zone == self.assumed_zone:
            return
        if self.vevents_given:
            raise CalendarZoneMoved(zone)
        self.assumed_zone = zone
        self.default_zone = zone if is_timezone_name(zone) else settings.TIME_ZONE


def parse_vevent(text):
    """One VEVENT's content lines as icalendar's component."""
    return icalendar.Event.from_ical(text)


@dataclass
class Skipped:
    """A VEVENT the site does not import, and why."""

    title: str
    uid: str
    reason: str


def read_vevent(lines, text, default_zone):
    """A VEVENT given by ``FileReader.vevents()`` read: an ``Item``, a ``Skipped``, or the list of
    its problems (returned, not raised: the answer may come from another process)."""
    try:
        component = parse_vevent(text)
        item = read_item(component, lines.place, default_zone, lines)
    except CalendarImportError as error:
        return error.problems
    except (ValueError, TypeError, KeyError, AttributeError) as error:  # what icalendar may raise
        return [
            gettext("%(place)s: the event could not be read (%(error)s).")
            % {"place": lines.place, "error": error}
        ]
    if isinstance(item, str):
        return Skipped(
            str(component.get("SUMMARY", gettext("(no title)"))), str(component.get("UID", "")).strip(), item
        )
    return item


def _start_reader(language):
    """The second process: Django set up, in the language of the run (its problems are the editor's
    to read)."""
    django.setup()
    translation.activate(language)


def _read_chunk(chunk, default_zone):
    return [read_vevent(lines, text, default_zone) for lines, text in chunk]


# From how many events a file is read in a second process while this one writes (reading takes
# about 0.4 ms an event, mostly icalendar's parsing; a second process costs about a second to start).
READ_ALONGSIDE_FROM = 5000
CHUNK = 500


def read_vevents(reader):
    """What ``read_vevent`` makes of each VEVENT of ``reader``, in file order. A large file on a
    machine with more than one core is read by a second process, a few chunks ahead of the writes;
    the code that reads is the same."""
    chunks = batched(reader.vevents(), CHUNK)
    if reader.vevents_in_file < READ_ALONGSIDE_FROM or (os.cpu_count() or 1) < 2:
        for chunk in chunks:
            yield from _read_chunk(chunk, reader.default_zone)
        return
    context = multiprocessing.get_context("spawn")  # a fresh process: no copy of this one's connections
    with ProcessPoolExecutor(
        1, mp_context=context, initializer=_start_reader, initargs=(translation.get_language(),)
    ) as pool:
        ahead = collections.deque()  # (chunk, its answer to come), in file order
        for chunk in chunks:
            try:
                ahead.append((chunk, pool.submit(_read_chunk, chunk, reader.default_zone)))
            except BrokenProcessPool:
                ahead.append((chunk, None))
            if len(ahead) > 2:
                yield from _answer(*ahead.popleft(), reader.default_zone)
        while ahead:
            yield from _answer(*ahead.popleft(), reader.default_zone)


def _answer(chunk, future, default_zone):
    """A chunk as the second process read it; read here if that process could not (it did not
    start, say, in a program that cannot be imported again)."""
    if future is not None:
        try:
            return future.result()
        except BrokenProcessPool:
            logger.warning("The second process could not read the file; reading it in this one")
    return _read_chunk(chunk, default_zone)


def _named_zone(component, value):
    """The IANA zone DTSTART names with TZID, if any (UTC "Z" times and custom zones name none)."""
    key = getattr(getattr(value, "tzinfo", None), "key", None)
    named = "TZID" in component["DTSTART"].params
    return key if named and is_timezone_name(key) else None


RECURRENCE_PROPERTIES = ("RRULE", "EXDATE", "RDATE", "RECURRENCE-ID")


def _values(component, name):
    """Every value of a property that may repeat, in file order."""
    value = component.get(name)
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _value_problems(component, lines, title):
    """icalendar's complaints about unreadable values; recurrence properties name their own line."""
    messages = {}
    for name, message in component.errors:
        messages.setdefault(name, []).append(message)
    problems = []
    for name, found in messages.items():
        if name not in RECURRENCE_PROPERTIES:
            problems += [f"{event_place(lines.place, title)}: {name} {_short(message)}" for message in found]
            continue
        broken = [
            i for i, value in enumerate(_values(component, name)) if isinstance(value, icalendar.vBroken)
        ]
        # A complaint without a broken value to match is reported where the VEVENT begins.
        broken += [len(lines.properties.get(name, []))] * (len(found) - len(broken))
        problems += [
            f"{event_place(lines.of(name, index), title)}: {name} {_short(message)}"
            for index, message in zip(broken, found, strict=False)
        ]
    return problems


def _short(text, limit=160):
    """A message or value cut to ``limit`` characters: a huge value is echoed only in part."""
    text = str(text)
    return text if len(text) <= limit else text[:limit] + "…"


def _range_problem(where, name, value):
    shown = value.date().isoformat() if isinstance(value, datetime) else value.isoformat()
    return gettext(
        "%(place)s: %(name)s: %(value)s is outside the dates this site can show (the years "
        "%(first)s to %(last)s)."
    ) % {"place": where, "name": name, "value": shown, "first": FIRST_YEAR, "last": LAST_YEAR}


def _unknown_zone_problem(where, name, tzid):
    return gettext(
        "%(place)s: %(name)s names the timezone “%(zone)s”, which is unknown and has no VTIMEZONE."
    ) % {
        "place": where,
        "name": name,
        "zone": tzid,
    }


def _unknown_zone(prop, value):
    """The TZID a date-time names but icalendar could not resolve (no such zone, no VTIMEZONE)."""
    tzid = prop.params.get("TZID") if hasattr(prop, "params") else None
    return tzid if tzid and isinstance(value, datetime) and value.tzinfo is None else None


def _dates(component, name, lines, title):
    """The moments of EXDATE or RDATE: every value of every line, as dates, times or (start, end)."""
    found = []
    for index, prop in enumerate(_values(component, name)):
        where = event_place(lines.of(name, index), title)
        for value in prop.dts:
            moment = value.dt
            if isinstance(moment, tuple) and name != "RDATE":
                raise CalendarImportError(
                    [
                        gettext("%(place)s: %(name)s must hold dates or date-times, not periods.")
                        % {"place": where, "name": name}
                    ]
                )
            if isinstance(moment, tuple):  # an RDATE period: (start, end) or (start, duration)
                first, second = moment
                moment = (first, first + second if isinstance(second, timedelta) else second)
            for part in moment if isinstance(moment, tuple) else (moment,):
                tzid = _unknown_zone(value, part) or _unknown_zone(prop, part)
                if tzid:
                    raise CalendarImportError([_unknown_zone_problem(where, name, tzid)])
                if not isinstance(part, date):
                    raise CalendarImportError(
                        [
                            gettext("%(place)s: %(name)s must hold dates or date-times.")
                            % {"place": where, "name": name}
                        ]
                    )
            found.append(moment)
    return found


def read_recurrence(component, item, lines):
    """Fill the item's rule, EXDATE, RDATE or RECURRENCE-ID; a reason string to skip it, or None."""
    rules = _values(component, "RRULE")
    if "RECURRENCE-ID" in component:
        if rules:
            return gettext("a changed occurrence (RECURRENCE-ID) with its own RRULE is not supported")
        prop = component["RECURRENCE-ID"]
        value = prop.dt
        where = event_place(lines.of("RECURRENCE-ID"), item.title)
        tzid = _unknown_zone(prop, value)
        if tzid:
            raise CalendarImportError([_unknown_zone_problem(where, "RECURRENCE-ID", tzid)])
        if not isinstance(value, date):
            raise CalendarImportError(
                [gettext("%(place)s: RECURRENCE-ID must be a date or a date-time.") % {"place": where}]
            )
        if str(prop.params.get("RANGE", "")).upper() == "THISANDFUTURE":
            return gettext(
                "changes to “this and all later occurrences” (RANGE=THISANDFUTURE) are not supported"
            )
        item.recurrence_id, item.recurrence_id_line = value, lines.of("RECURRENCE-ID")
        return None
    if "EXRULE" in component:
        return gettext("exclusion rules (EXRULE, deprecated by RFC 5545) are not supported")
    if len(rules) > 1:
        return gettext("it has %(count)s RRULEs, and an event can follow only one rule") % {
            "count": len(rules)
        }
    rdates = _dates(component, "RDATE", lines, item.title)
    exdates = _dates(component, "EXDATE", lines, item.title)
    if not rules:
        # EXDATE without a rule excludes nothing we would create; added dates need a rule here.
        return gettext("added dates (RDATE) without a rule (RRULE) are not supported") if rdates else None
    text = rules[0].to_ical().decode()
    try:
        recurrence.validate_rule(text)
    except ValidationError as error:
        raise CalendarImportError(
            [f"{event_place(lines.of('RRULE'), item.title)}: RRULE: {' '.join(error.messages)}"]
        ) from error
    item.rule, item.exdates = recurrence.normalize_rule(text), exdates
    length = item.end - item.start
    for moment in rdates:
        if isinstance(moment, tuple):
            if moment[1] - moment[0] != length:
                return gettext("an added date (RDATE) with a length of its own is not supported")
            moment = moment[0]
        item.rdates.append(moment)
    return None


def read_item(component, place, default_zone, lines=None):
    """The VEVENT as an ``Item``, or a reason string to skip it; raises CalendarImportError."""
    lines = lines or VeventLines(place)
    title_given = bool(str(component.get("SUMMARY", "")).strip())
    title = str(component.get("SUMMARY", "")).strip() or "(no title)"
    where = event_place(place, title)
    problems = _value_problems(component, lines, title)
    uid = str(component.get("UID", "")).strip()
    if not uid:
        problems.append(
            gettext("%(place)s: UID is missing, so the event could not be matched on a later import.")
            % {"place": where}
        )
    if "DTSTART" not in component:
        problems.append(gettext("%(place)s: DTSTART is missing.") % {"place": where})
    if problems:
        raise CalendarImportError(problems)
    start = component.decoded("DTSTART")
    end_name = "DTEND" if "DTEND" in component else "DURATION"  # the line an end problem is on
    if not day_is_valid(start):  # a date or a date-time: its year
        raise CalendarImportError([_range_problem(event_place(lines.of("DTSTART"), title), "DTSTART", start)])
    try:
        if "DTEND" in component:
            end = component.decoded("DTEND")
        elif "DURATION" in component:
            end = start + component.decoded("DURATION")
        else:  # RFC 5545 §3.6.1: a date lasts one day, a date-time has no duration
            end = start + timedelta(days=1) if not isinstance(start, datetime) else start
    except OverflowError as error:
        raise CalendarImportError(
            [
                gettext("%(place)s: %(name)s ends outside the dates this site can show.")
                % {"place": event_place(lines.of(end_name), title), "name": end_name}
            ]
        ) from error
    if not day_is_valid(end):
        raise CalendarImportError([_range_problem(event_place(lines.of(end_name), title), end_name, end)])
    all_day = not isinstance(start, datetime)
    if all_day == isinstance(end, datetime):
        raise CalendarImportError(
            [
                gettext("%(place)s: DTSTART and DTEND must both be dates or both be date-times.")
                % {"place": where}
            ]
        )
    for name, value in (("DTSTART", start), ("DTEND", end)):
        tzid = component[name].params.get("TZID") if name in component else None
        if tzid and isinstance(value, datetime) and value.tzinfo is None:
            raise CalendarImportError([_unknown_zone_problem(where, name, tzid)])
    zone = _named_zone(component, start) or default_zone
    if not all_day:
        local = zoneinfo.ZoneInfo(zone)
        start, end = (value if value.tzinfo else value.replace(tzinfo=local) for value in (start, end))
    if end < start:
        raise CalendarImportError([gettext("%(place)s: DTEND is before DTSTART.") % {"place": where}])
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
    item = Item(
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
        title_given=title_given,
        status_given="STATUS" in component,
    )
    return read_recurrence(component, item, lines) or item


def decode(data):
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CalendarImportError(
            [
                gettext("Byte %(byte)s: the file is not UTF-8 text (iCalendar files must be UTF-8).")
                % {"byte": error.start}
            ]
        ) from error
