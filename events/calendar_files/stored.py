"""Every event's VEVENTs written once, when it changes, so that feeds copy text instead of building it.

Building VEVENTs in Python (a model instance, local times, escaping, folding) for every event of a
large feed on every request would take many seconds. So each event's
text (its VEVENT, its changed dates' and its sessions', exactly what ``builder.event_components``
writes for it) is kept in ``EventFeedText`` and a feed reads those texts in order, replacing only
the DTSTAMP (the instant of export) as it streams them.

The text holds absolute links, so it is written for the site's canonical address
(``settings.SITE_URL``) and stored under a key naming that address and ``builder.FILE_FORMAT``; a feed
uses a stored text only when its key is the feed's own, and builds any other event as before. With
no ``SITE_URL`` nothing is stored and every feed is built on request.

When a text is written: ``events.changes.record()``, the one record of every change, drops the
texts of the events a change touched (the event, its sessions or changed dates, its categories,
its venue, organizer or a category edited) in the same transaction, and has them written again
when it commits. ``manage.py refresh_feed_text`` writes every text again.
"""

from datetime import UTC, datetime
from itertools import islice

from django.conf import settings

from ..models import Event, EventFeedText
from . import builder

# The DTSTAMP written into stored texts, replaced by the instant of export when a feed streams.
STAMP_PLACEHOLDER = datetime(1970, 1, 1, tzinfo=UTC)
_STAMP_LINE = "\r\nDTSTAMP:19700101T000000Z\r\n"
# Events written per query when texts are refreshed.
REFRESH_BATCH = 500


def current_key(base_url=None):
    """The key of texts written for ``base_url`` (default: the canonical ``SITE_URL``)."""
    return f"{builder.FILE_FORMAT} {settings.SITE_URL if base_url is None else base_url}"


def batched(iterable, size):
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def render(event, *, base_url):
    """The stored text of one event (loaded with ``for_calendar_feed()``)."""
    components = builder.event_components([event], base_url=base_url, stamp=STAMP_PLACEHOLDER)
    return b"".join(component.to_ical() for component in components).decode()


def refresh(event_ids=None, *, using="default"):
    """Write the texts of the events ``event_ids`` (default: every event); returns how many."""
    if not settings.SITE_URL:
        return 0
    key, written = current_key(), 0
    if event_ids is None:
        batches = batched(
            Event.objects.using(using).order_by("pk").values_list("pk", flat=True), REFRESH_BATCH
        )
    else:
        batches = batched(sorted(event_ids), REFRESH_BATCH)
    for ids in batches:
        events = Event.objects.using(using).filter(pk__in=ids).for_calendar_feed()
        texts = [
            EventFeedText(event=event, key=key, text=render(event, base_url=settings.SITE_URL))
            for event in events
        ]
        EventFeedText.objects.using(using).bulk_create(
            texts, update_conflicts=True, unique_fields=["event"], update_fields=["key", "text"]
        )
        written += len(texts)
    return written


def drop(event_ids, *, using="default"):
    """Forget the texts of these events (a feed builds them until they are written again)."""
    for ids in batched(sorted(event_ids), REFRESH_BATCH):
        EventFeedText.objects.using(using).filter(event_id__in=ids).delete()


def event_file_components(event, *, base_url, stamp):
    """One event's VEVENTs for its own file (the event loaded ``for_calendar_file()`` and
    ``with_stored_text()``): its stored text when it was written for ``base_url``, as it is with the
    export's DTSTAMP, else built by ``builder.event_components``, which wrote that text."""
    if event.stored_text_key == current_key(base_url):
        return [stamped(event.stored_text, stamp)]
    return builder.event_components([event], base_url=base_url, stamp=stamp)


def stamped(text, stamp):
    """Stored text as a component, with the instant of export in place of the stored DTSTAMP."""
    return builder.ComponentText(
        text.replace(_STAMP_LINE, f"\r\nDTSTAMP:{builder.utc_text(stamp)}\r\n").encode()
    )


def stored_components(rows, *, base_url, stamp, batch_size=REFRESH_BATCH):
    """The VEVENTs of feed rows ``(pk, key, text)`` in order: stored texts of ``base_url``'s key as
    they are (with the export's DTSTAMP), any other event built by ``builder.event_components``.

    Rows are taken in batches: one query (and its prefetches) loads the batch's events that have
    no usable text.
    """
    key = current_key(base_url)
    for batch in batched(rows, batch_size):
        missing = [pk for pk, row_key, _ in batch if row_key != key]
        built = {}
        if missing:
            built = {event.pk: event for event in Event.objects.filter(pk__in=missing).for_calendar_feed()}
        texts = []
        for pk, row_key, text in batch:
            if row_key == key:
                texts.append(text)
                continue
            if texts:
                yield stamped("".join(texts), stamp)
                texts = []
            if pk in built:  # unless deleted since the batch was read
                yield from builder.event_components([built[pk]], base_url=base_url, stamp=stamp)
        if texts:
            yield stamped("".join(texts), stamp)
