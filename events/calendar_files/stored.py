"""Every event's VEVENTs written once, when it changes, so that feeds copy text instead of building it.

Building VEVENTs in Python (a model instance, local times, escaping, folding) for every event of a
large feed on every request would take many seconds. So each event's
text (its VEVENT, its changed dates' and its sessions', exactly what ``builder.event_components``
writes for it) is kept in ``EventFeedText`` and a feed reads those texts in order, replacing only
the DTSTAMP (the instant of export) as it streams them.

The text holds no address of the site: it is written with ``SITE_MARK`` where the site's address
goes (its links), on a folded line of its own, and the feed puts the address it serves (the
canonical ``SITE_URL``, else the request's) in its place by one replacement: the lines around it
keep their folding whatever the address's length (up to ``MAX_ADDRESS_OCTETS``; a feed for a
longer address builds its events). So every installation takes this path, with ``SITE_URL`` or
without, and a text is stored under a key naming ``builder.FILE_FORMAT``.

When a text is written: ``events.changes.record()``, the one record of every change, drops the
texts of the events a change touched (the event, its sessions or changed dates, its categories,
its venue, organizer or a category edited) in the same transaction, and has them written again
when it commits: by the writer itself, or, for more events than ``changes.TEXTS_WRITTEN_AT_COMMIT``
(an import of a big calendar), by the background worker (``refresh_missing``). Until then feeds
build those events, correctly. ``manage.py refresh_feed_text`` writes every text again.

Texts are kept per language (a file in French writes its words in French and links to the French
pages). The default language's are written as above; another language's are written the first time
a feed in it finds events without one: that feed builds them, and asks the background worker to
write the missing texts of its language (``request_missing``), so the next feed copies them. A
change drops an event's texts in every language; the default language's are written again at
commit, the others when a feed in their language next asks.
"""

import re
from datetime import UTC, datetime
from itertools import islice

from django.conf import settings
from django.utils import translation
from icalendar.parser import Contentline

from ..models import Event, EventFeedText
from . import builder

# The DTSTAMP written into stored texts, replaced by the instant of export when a feed streams.
STAMP_PLACEHOLDER = datetime(1970, 1, 1, tzinfo=UTC)
_STAMP_LINE = b"\r\nDTSTAMP:19700101T000000Z\r\n"
# Events written per query when texts are refreshed.
REFRESH_BATCH = 500


# Where the site's address goes in a stored text: an address no site has (.invalid is reserved).
SITE_MARK = "https://site-address.invalid"
# A folded line holds at most 75 octets: the mark's line is a space and the address.
MAX_ADDRESS_OCTETS = 74
_SITE_MARK_BYTES = SITE_MARK.encode()


def current_key():
    """The key of texts written by this version of the builder."""
    return builder.FILE_FORMAT


def usable_for(base_url):
    """Whether stored texts can serve a feed whose links start with ``base_url``."""
    return len(base_url.encode()) <= MAX_ADDRESS_OCTETS


def text_language():
    """The language of the texts a feed in the language in use copies."""
    language = translation.get_language()
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def batched(iterable, size):
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def render(event, language=None):
    """The stored text of one event (loaded with ``for_calendar_feed()``) in ``language``: what the
    builder writes for it, with ``SITE_MARK`` as the site's address, alone on its folded line. In
    ``language`` whatever the language of the process that writes it (an editor's admin in German):
    its words and its pages' addresses. Default: the site's language."""
    with translation.override(language or settings.LANGUAGE_CODE):
        components = builder.event_components([event], base_url=SITE_MARK, stamp=STAMP_PLACEHOLDER)
    text = b"".join(component.to_ical() for component in components).decode()
    # Only the lines holding the mark are folded again; the others stay as icalendar folded them
    # (folding is character by character in Python: refolding every line took 3/4 of this time).
    return "\r\n".join(_marked_again(line) for line in _CONTENT_LINE_BREAK.split(text))


# The break between two content lines: CRLF not followed by the space of a folded line.
_CONTENT_LINE_BREAK = re.compile(r"\r\n(?! )")


def _marked_again(folded):
    """A content line as icalendar folded it, or, if it holds ``SITE_MARK``, folded again with each
    mark on a physical line of its own (RFC 5545 lets a line fold between any two characters;
    readers join the parts back)."""
    line = folded.replace("\r\n ", "")
    if SITE_MARK not in line:
        return folded
    parts = line.split(SITE_MARK)
    pieces = [_folded(parts[0])]
    for part in parts[1:]:
        pieces.append(SITE_MARK)
        if part:
            pieces.append(_folded(part))
    return "\r\n ".join(pieces)


def _folded(text):
    return Contentline(text).to_ical().decode()


def refresh(event_ids=None, *, language=None, using="default", keep_written=False):
    """Write the texts of the events ``event_ids`` (default: every event) in ``language`` (default:
    the site's); returns how many.

    ``keep_written``: a text another writer stored meanwhile (an editor's save, written when it
    committed, from newer data than this run read) is kept."""
    key, written, language = current_key(), 0, language or settings.LANGUAGE_CODE
    if event_ids is None:
        batches = batched(
            Event.objects.using(using).order_by("pk").values_list("pk", flat=True), REFRESH_BATCH
        )
    else:
        batches = batched(sorted(event_ids), REFRESH_BATCH)
    for ids in batches:
        events = Event.objects.using(using).filter(pk__in=ids).for_calendar_feed()
        texts = [
            EventFeedText(event=event, language=language, key=key, text=render(event, language=language))
            for event in events
        ]
        if keep_written:
            EventFeedText.objects.using(using).bulk_create(texts, ignore_conflicts=True)
        else:
            EventFeedText.objects.using(using).bulk_create(
                texts,
                update_conflicts=True,
                unique_fields=["event", "language"],
                update_fields=["key", "text"],
            )
        written += len(texts)
    return written


def refresh_missing(*, language=None, using="default"):
    """Write the texts in ``language`` (default: the site's) of the events that have none of the
    current key (the background worker's part of a change too large to write at commit:
    ``events.changes``, or of a feed in another language: ``request_missing``); returns how many. A
    text an editor's save writes while this runs is newer than what this run read: it is kept."""
    language = language or settings.LANGUAGE_CODE
    written = (
        EventFeedText.objects.using(using).filter(language=language, key=current_key()).values("event_id")
    )
    missing = Event.objects.using(using).exclude(pk__in=written).order_by("pk").values_list("pk", flat=True)
    return refresh(list(missing), language=language, using=using, keep_written=True)


# How long a feed's request for its language's missing texts holds before another feed may ask again.
REQUEST_MISSING_SECONDS = 300


def request_missing(language):
    """Ask the background worker, once in a while, to write the missing texts of ``language`` (a
    feed in it found events without one and built them). Asked again only after
    ``REQUEST_MISSING_SECONDS``, whatever the number of feeds served meanwhile."""
    from django.core.cache import cache

    from ..tasks import write_missing_feed_texts

    try:
        first = cache.add(
            f"feed-texts-requested:{builder.FILE_FORMAT}:{language}", True, REQUEST_MISSING_SECONDS
        )
    except Exception:  # a cache that cannot be reached: ask anyway (the worker skips written texts)
        first = True
    if first:
        write_missing_feed_texts.enqueue(language=language)


def drop(event_ids, *, using="default"):
    """Forget the texts of these events (a feed builds them until they are written again)."""
    for ids in batched(sorted(event_ids), REFRESH_BATCH):
        EventFeedText.objects.using(using).filter(event_id__in=ids).delete()


def event_file_components(event, *, base_url, stamp):
    """One event's VEVENTs for its own file (the event loaded ``for_calendar_file()`` and
    ``with_stored_text()``): its stored text with the export's address and DTSTAMP, else built by
    ``builder.event_components``, which wrote that text."""
    if event.stored_text_key == current_key() and usable_for(base_url):
        return [stamped(event.stored_text, base_url, stamp)]
    return builder.event_components([event], base_url=base_url, stamp=stamp)


def stamped(text, base_url, stamp):
    """Stored text as a component, with the site's address and the instant of export in place."""
    return builder.ComponentText(
        text.encode()
        .replace(_STAMP_LINE, f"\r\nDTSTAMP:{builder.utc_text(stamp)}\r\n".encode())
        .replace(_SITE_MARK_BYTES, base_url.encode())
    )


def stored_components(rows, *, base_url, stamp, language, batch_size=REFRESH_BATCH):
    """The VEVENTs of feed rows ``(pk, key, text)`` in order: stored texts as they are (with the
    export's address and DTSTAMP), any event without a current text built by
    ``builder.event_components``; the texts and the feed are in ``language``, which is in use.

    Rows are taken in batches: one query (and its prefetches) loads the batch's events that have
    no usable text. Events without a text in another language than the site's have theirs written
    by the background worker afterwards (``request_missing``).
    """
    key = current_key() if usable_for(base_url) else None
    missing_texts = False
    for batch in batched(rows, batch_size):
        # No usable key (a feed stored texts cannot serve): every event is built.
        missing = [pk for pk, row_key, _ in batch if key is None or row_key != key]
        missing_texts = missing_texts or (key is not None and bool(missing))
        built = {}
        if missing:
            built = {event.pk: event for event in Event.objects.filter(pk__in=missing).for_calendar_feed()}
        texts = []
        for pk, row_key, text in batch:
            if key is not None and row_key == key:
                texts.append(text)
                continue
            if texts:
                yield stamped("".join(texts), base_url, stamp)
                texts = []
            if pk in built:  # unless deleted since the batch was read
                yield from builder.event_components([built[pk]], base_url=base_url, stamp=stamp)
        if texts:
            yield stamped("".join(texts), base_url, stamp)
    if missing_texts and language != settings.LANGUAGE_CODE:
        request_missing(language)
