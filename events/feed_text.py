"""Every event's VEVENTs written once, when it changes, so that feeds copy text instead of building it.

Building a VEVENT costs about 0.1 ms in Python (a model instance, local times, escaping, folding):
a feed of 100,000 events (200,000 VEVENTs with sessions) would take about 20 s. So each event's
text (its VEVENT, its changed dates' and its sessions', exactly what ``ical.event_components``
writes for it) is kept in ``EventFeedText`` and a feed reads those texts in order, replacing only
the DTSTAMP (the instant of export) as it streams them.

The text holds absolute links, so it is written for the site's canonical address
(``settings.SITE_URL``) and stored under a key naming that address and ``ical.FILE_FORMAT``; a feed
uses a stored text only when its key is the feed's own, and builds any other event as before. With
no ``SITE_URL`` nothing is stored and every feed is built on request.

What marks an event's text stale, in the same transaction as the change: the event saved, its
sessions or changed dates saved or deleted, its categories changed, or its venue, organizer or one
of its categories edited. The stale text is deleted at once (a feed then builds that event itself)
and written again when the transaction commits, once per event however many rows changed. Code
that writes with ``bulk_create``/``update()`` (no signals) calls ``mark_stale()`` itself.
"""

import logging
from datetime import UTC, datetime
from itertools import islice

from django.conf import settings
from django.db import connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from . import ical
from .models import Category, Event, EventFeedText, OccurrenceChange, Organizer, Session, Venue

logger = logging.getLogger(__name__)

# The DTSTAMP written into stored texts, replaced by the instant of export when a feed streams.
STAMP_PLACEHOLDER = datetime(1970, 1, 1, tzinfo=UTC)
_STAMP_LINE = "\r\nDTSTAMP:19700101T000000Z\r\n"
# Events written per query when texts are refreshed.
REFRESH_BATCH = 500


def current_key(base_url=None):
    """The key of texts written for ``base_url`` (default: the canonical ``SITE_URL``)."""
    return f"{ical.FILE_FORMAT} {settings.SITE_URL if base_url is None else base_url}"


def batched(iterable, size):
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def render(event, *, base_url):
    """The stored text of one event (loaded with ``for_calendar_feed()``)."""
    components = ical.event_components([event], base_url=base_url, stamp=STAMP_PLACEHOLDER)
    return b"".join(component.to_ical() for component in components).decode()


def refresh(events=None, *, using="default"):
    """Write the texts of ``events`` (a queryset; default: every event); returns how many."""
    if not settings.SITE_URL:
        return 0
    events = Event.objects.using(using).all() if events is None else events
    key, written = current_key(), 0
    rows = events.for_calendar_feed().order_by("pk").iterator(chunk_size=REFRESH_BATCH)
    for batch in batched(rows, REFRESH_BATCH):
        texts = [
            EventFeedText(event=event, key=key, text=render(event, base_url=settings.SITE_URL))
            for event in batch
        ]
        EventFeedText.objects.using(using).bulk_create(
            texts, update_conflicts=True, unique_fields=["event"], update_fields=["key", "text"]
        )
        written += len(texts)
    return written


def mark_stale(event_ids, *, using="default"):
    """These events changed: drop their texts now, write them again once the transaction commits."""
    event_ids = {pk for pk in event_ids if pk is not None}
    if not event_ids:
        return
    connection = connections[using]
    if not connection.in_atomic_block:
        EventFeedText.objects.using(using).filter(event_id__in=event_ids).delete()
        _refresh_logged(event_ids, using)
        return
    # The events pending in this transaction: a set tied to its ``run_on_commit`` list, which Django
    # starts anew for every transaction (so what a rolled-back one left is not taken for pending).
    pending_for, pending = getattr(connection, "feed_text_pending", (None, set()))
    if pending_for is not connection.run_on_commit:
        pending = set()
        connection.feed_text_pending = (connection.run_on_commit, pending)
    new = event_ids - pending
    if new:
        EventFeedText.objects.using(using).filter(event_id__in=new).delete()
        pending |= new
        # The first callback to run writes every pending event; the others find nothing left.
        transaction.on_commit(lambda: _refresh_pending(pending, using), using=using)


def _refresh_pending(pending, using):
    event_ids = set(pending)
    pending.clear()
    if event_ids:
        _refresh_logged(event_ids, using)


def _refresh_logged(event_ids, using):
    """``refresh()`` after a commit: a failure leaves those events without text (feeds then build
    them on request, correctly) and is logged, rather than failing the editor's saved request."""
    try:
        refresh(Event.objects.using(using).filter(pk__in=list(event_ids)), using=using)
    except Exception:
        logger.exception("Could not write the feed text of events %s", sorted(event_ids))


# What marks texts stale: the receivers below, connected by ``connect_signals()``.


def _event_saved(sender, instance, using, raw=False, **kwargs):
    if not raw:
        mark_stale([instance.pk], using=using)


def _part_changed(sender, instance, using, raw=False, **kwargs):
    """A session or changed date of an event was saved or deleted."""
    if not raw:
        mark_stale([instance.event_id], using=using)


def _categories_changed(sender, instance, action, reverse, pk_set, using, **kwargs):
    if not action.startswith("post_"):
        return
    if not reverse:
        mark_stale([instance.pk], using=using)
    elif action == "post_clear" or pk_set is None:
        mark_stale(instance.events.using(using).values_list("pk", flat=True), using=using)
    else:
        mark_stale(pk_set, using=using)


def _shown_row_changed(sender, instance, using, raw=False, **kwargs):
    """A venue, organizer or category was edited (or a category is about to be deleted): every
    event showing it writes its text again."""
    if raw:
        return
    events = Event.objects.using(using)
    if sender is Category:
        ids = events.filter(categories=instance).values_list("pk", flat=True)
    elif sender is Venue:
        ids = events.filter(venue=instance).values_list("pk", flat=True)
    else:
        ids = events.filter(organizer=instance).values_list("pk", flat=True)
    mark_stale(list(ids), using=using)


def connect_signals():
    """Called once from ``EventsConfig.ready()``."""
    post_save.connect(_event_saved, sender=Event, dispatch_uid="feed-text-event")
    for model in (Session, OccurrenceChange):
        post_save.connect(_part_changed, sender=model, dispatch_uid=f"feed-text-save-{model.__name__}")
        post_delete.connect(_part_changed, sender=model, dispatch_uid=f"feed-text-delete-{model.__name__}")
    m2m_changed.connect(
        _categories_changed, sender=Event.categories.through, dispatch_uid="feed-text-categories"
    )
    for model in (Venue, Organizer, Category):
        post_save.connect(_shown_row_changed, sender=model, dispatch_uid=f"feed-text-save-{model.__name__}")
    pre_delete.connect(_shown_row_changed, sender=Category, dispatch_uid="feed-text-delete-category")


def stored_components(rows, *, base_url, stamp, batch_size=REFRESH_BATCH):
    """The VEVENTs of feed rows ``(pk, key, text)`` in order: stored texts of ``base_url``'s key as
    they are (with the export's DTSTAMP), any other event built by ``ical.event_components``.

    Rows are taken in batches: one query (and its prefetches) loads the batch's events that have
    no usable text.
    """
    key = current_key(base_url)
    stamp_line = f"\r\nDTSTAMP:{ical.utc_text(stamp)}\r\n"
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
                yield ical.ComponentText("".join(texts).replace(_STAMP_LINE, stamp_line).encode())
                texts = []
            if pk in built:  # unless deleted since the batch was read
                yield from ical.event_components([built[pk]], base_url=base_url, stamp=stamp)
        if texts:
            yield ical.ComponentText("".join(texts).replace(_STAMP_LINE, stamp_line).encode())
