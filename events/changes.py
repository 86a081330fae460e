"""The change record: every write of the site's content ends in ``record()``, which does all it implies.

Whatever writes (the admin, its actions, the importers, a management command, a bulk write), a
change of content reaches ``record()`` by one of two doors, both of this module:

* a model instance saved or deleted, or a many-to-many link changed: the receivers connected by
  ``connect()`` (``post_save``, ``post_delete``, ``pre_delete``, ``m2m_changed``);
* a queryset's ``update()``, ``bulk_create()`` or ``bulk_update()``, which send no signals:
  ``RecordingQuerySet``, the base of every content model's QuerySet.

``record()`` then does, in the writer's transaction, everything a change implies:

1. **SEQUENCE**: each event whose calendar text changed (its own fields, its sessions or changed
   dates, its venue, organizer or categories) steps its iCalendar SEQUENCE and LAST-MODIFIED once
   per edit, and not in the edit that created it. An edit is one ``edit()`` block: one admin form
   with its inlines, one action, one import.
2. **Feed validators**: ``ContentRevision`` steps. Calendar feeds build their ETag and
   Last-Modified from it, so they change whenever any byte of any feed could.
3. **Stored texts**: those events' stored VEVENTs (``events.calendar_files.stored``) are dropped at once and
   written again, by the same builder as every file, when the transaction commits (by the background
   worker when more than ``TEXTS_WRITTEN_AT_COMMIT`` events changed).
4. **Page cache**: a new generation of cached pages, now and again on commit
   (``events_site.page_cache``).
"""

import collections
import contextlib
import contextvars
import logging

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.utils import timezone

logger = logging.getLogger(__name__)

CONTENT_APPS = frozenset({"events", "articles"})
# Rows of these apps that are not content: derived from it (written by this mechanism itself), or
# the record of a run that changes it (an import's progress: its writes are recorded as they happen).
NOT_CONTENT = frozenset({"events.eventfeedtext", "events.contentrevision", "events.calendarimport"})
# How an event shows a row of another model in its calendar text: the event's field naming it.
SHOWN_BY_EVENTS = {"events.venue": "venue", "events.organizer": "organizer", "events.category": "categories"}
# Rows that belong to one event, by the field naming it.
PARTS_OF_EVENTS = frozenset({"events.session", "events.occurrencechange"})
# A new session adds a VEVENT of its own to the event's file, at the event's SEQUENCE, and changes
# none of the others: the event does not step. (A new date handled apart from the rule does change
# the series' VEVENT: its EXDATE, RDATE or override.)
ADDED_WITHOUT_STEP = frozenset({"events.session"})

_current_edit = contextvars.ContextVar("current_edit", default=None)


class Edit:
    """What the current ``edit()`` did already: the events that stepped their SEQUENCE (or were
    created) and the databases whose revision it stepped."""

    def __init__(self):
        self.stepped = collections.defaultdict(set)  # database alias: event ids
        self.revised = set()  # database aliases


@contextlib.contextmanager
def edit(using=DEFAULT_DB_ALIAS):
    """One edit: the writes inside are one transaction, and step each event's SEQUENCE at most once.

    Nested blocks join the outer one.
    """
    token = _current_edit.set(Edit()) if _current_edit.get() is None else None
    try:
        with transaction.atomic(using=using):
            yield
    finally:
        if token is not None:
            _current_edit.reset(token)


def event_saving(event, using):
    """Called by ``Event.save()`` before it writes: an existing event steps its SEQUENCE (written by
    that save) unless it already did in this edit."""
    if event._state.adding or event.pk is None:
        return
    current = _current_edit.get()
    if current is not None:
        if event.pk in current.stepped[using]:
            return
        current.stepped[using].add(event.pk)
    event.sequence += 1


def record(*, events=(), stepped=(), created=(), using=DEFAULT_DB_ALIAS):
    """The site's content changed: do everything that implies (see the module's docstring).

    ``events``: ids of events whose calendar text changed; each steps its SEQUENCE unless it already
    did in this edit. ``stepped``: ids of events whose text changed and that need no step (stepped
    by the save that wrote them). ``created``: ids of events just created (no step, and no stored
    text yet to drop).
    """
    events = {pk for pk in events if pk is not None}
    created = {pk for pk in created if pk is not None}
    stepped = {pk for pk in stepped if pk is not None} | created
    current = _current_edit.get()
    if current is not None:
        events -= current.stepped[using]
        current.stepped[using] |= events | stepped
    if events:
        step_sequences(events, using=using)
    # Once per edit: nobody outside its transaction sees the steps in between.
    if current is None or using not in current.revised:
        apps.get_model("events", "ContentRevision").step(using=using)
        _new_page_generation(using)
        if current is not None:
            current.revised.add(using)
    _texts_changed(events | stepped, using=using, created=created)


def step_sequences(event_ids, *, using=DEFAULT_DB_ALIAS):
    """Step the SEQUENCE and LAST-MODIFIED of these events (a plain update: it records nothing)."""
    from .calendar_files.stored import batched

    Event = apps.get_model("events", "Event")
    now = timezone.now()
    for ids in batched(sorted(event_ids), 500):  # bounded lists of parameters, for SQLite
        models.QuerySet(Event, using=using).filter(pk__in=ids).update(
            sequence=models.F("sequence") + 1, updated_at=now
        )


def _pending_texts(using):
    """The events whose texts the current transaction will write when it commits (None outside a
    transaction).

    Tied to the connection's ``run_on_commit`` list, which Django starts anew for every transaction,
    so what a finished or rolled-back transaction left is never taken for pending.
    """
    connection = connections[using]
    if not connection.in_atomic_block:
        return None
    owner, pending = getattr(connection, "feed_texts_pending", (None, None))
    if owner is not connection.run_on_commit:
        pending = set()
        connection.feed_texts_pending = (connection.run_on_commit, pending)
    return pending


def _texts_changed(event_ids, *, using, created=frozenset()):
    """Drop these events' stored texts now (the ``created`` ones have none); write them again once
    the transaction commits."""
    from .calendar_files import stored

    if not event_ids:
        return
    pending = _pending_texts(using)
    if pending is None:
        stored.drop(event_ids - created, using=using)
        _write_texts(event_ids, using)
        return
    new = event_ids - pending
    if new:
        if new - created:
            stored.drop(new - created, using=using)
        pending |= new
    # The first callback to run writes every pending event; the others find nothing left.
    transaction.on_commit(lambda: _write_pending_texts(pending, using), using=using)


def _write_pending_texts(pending, using):
    event_ids = set(pending)
    pending.clear()
    _write_texts(event_ids, using)


# The most events whose texts a commit writes itself (about 0.5 ms each: a second for 2,000); the
# texts of a larger change (an import of a big calendar) are written by the background worker.
TEXTS_WRITTEN_AT_COMMIT = 2000


def _write_texts(event_ids, using):
    """After a commit: a failure leaves those events without text (feeds then build them on
    request, correctly) and is logged, rather than failing the editor's saved request."""
    from .calendar_files import stored

    try:
        if len(event_ids) > TEXTS_WRITTEN_AT_COMMIT:
            from .tasks import write_missing_feed_texts

            write_missing_feed_texts.enqueue(using)
        else:
            stored.refresh(event_ids, using=using)
    except Exception:
        logger.exception("Could not write the feed text of %d events", len(event_ids))


def _new_page_generation(using):
    from events_site import page_cache

    page_cache.bump_generation()
    transaction.on_commit(page_cache.bump_generation, using=using)


def is_content(model):
    label = model._meta.label_lower
    return model._meta.app_label in CONTENT_APPS and label not in NOT_CONTENT


def events_showing(model, rows, *, using=DEFAULT_DB_ALIAS):
    """Ids of the events whose calendar text shows these rows of ``model``: a queryset, or a list
    of instances."""
    label = model._meta.label_lower
    is_query = isinstance(rows, models.QuerySet)
    if label == "events.event":
        return set(rows.values_list("pk", flat=True)) if is_query else {row.pk for row in rows}
    if label in PARTS_OF_EVENTS:
        return set(rows.values_list("event_id", flat=True)) if is_query else {row.event_id for row in rows}
    if label in SHOWN_BY_EVENTS:
        Event = apps.get_model("events", "Event")
        shown = rows.values("pk") if is_query else [row.pk for row in rows]
        showing = Event._base_manager.using(using).filter(**{f"{SHOWN_BY_EVENTS[label]}__in": shown})
        return set(showing.values_list("pk", flat=True))
    return set()


class RecordingQuerySet(models.QuerySet):
    """The QuerySet of every content model: its bulk writes, which send no signals, are recorded."""

    def update(self, **kwargs):
        events = events_showing(self.model, self, using=self.db)
        if kwargs.get("event") is not None and self.model._meta.label_lower in PARTS_OF_EVENTS:
            events.add(getattr(kwargs["event"], "pk", kwargs["event"]))  # rows moved to another event
        count = super().update(**kwargs)
        if count:
            record(events=events, using=self.db)
        return count

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:  # what save() works out before it writes (``Scheduled.prepare_to_write``)
            if hasattr(obj, "prepare_to_write"):
                obj.prepare_to_write()
        objs = super().bulk_create(objs, *args, **kwargs)
        if objs:
            label = self.model._meta.label_lower
            if label == "events.event":
                ids = [obj.pk for obj in objs]
                if kwargs.get("update_conflicts") or kwargs.get("ignore_conflicts"):
                    record(stepped=ids, using=self.db)  # some rows may have been there already
                else:
                    record(created=ids, using=self.db)
            elif label in ADDED_WITHOUT_STEP:
                record(stepped=events_showing(self.model, objs, using=self.db), using=self.db)
            else:
                record(events=events_showing(self.model, objs, using=self.db), using=self.db)
        return objs

    bulk_create.alters_data = True

    def bulk_update(self, objs, fields, *args, **kwargs):
        # Django writes each batch with update(), recorded above: one edit records them once.
        with edit(using=self.db):
            return super().bulk_update(objs, fields, *args, **kwargs)

    bulk_update.alters_data = True


# The receivers: the door for saves, deletes and many-to-many changes.


def _saved(sender, instance, created, raw, using, **kwargs):
    if sender._meta.label_lower == "events.event":
        # Event.save() stepped SEQUENCE itself (event_saving); loaded fixtures (raw) keep theirs.
        if created and not raw:
            record(created=[instance.pk], using=using)
        else:
            record(stepped=[instance.pk], using=using)
    elif raw or (created and sender._meta.label_lower in ADDED_WITHOUT_STEP):
        record(stepped=events_showing(sender, [instance], using=using), using=using)
    else:
        record(events=events_showing(sender, [instance], using=using), using=using)


def _deleting(sender, instance, using, **kwargs):
    """Before a category is deleted, while its events still link to it."""
    if sender._meta.label_lower == "events.category":
        record(events=events_showing(sender, [instance], using=using), using=using)


def _deleted(sender, instance, using, **kwargs):
    if sender._meta.label_lower in PARTS_OF_EVENTS:
        record(events=events_showing(sender, [instance], using=using), using=using)
    else:
        record(using=using)


def _linked(sender, instance, action, reverse, model, pk_set, using, **kwargs):
    """A many-to-many link changed (before a clear: while the links are still there)."""
    if not is_content(type(instance)) or action in ("pre_add", "pre_remove", "post_clear"):
        return
    owner = model if reverse else type(instance)
    if owner._meta.label_lower != "events.event" or sender is not owner.categories.through:
        record(using=using)  # tags and articles' links show on pages, not in calendar files
    elif not reverse:
        record(events=[instance.pk], using=using)
    elif action == "pre_clear":
        record(events=instance.events.using(using).values_list("pk", flat=True), using=using)
    else:
        record(events=pk_set or (), using=using)


def connect():
    """Called once, from ``EventsConfig.ready()``: receivers for the content models only, so that
    deleting derived rows (stored texts) stays a plain DELETE."""
    for model in apps.get_models():
        if is_content(model):
            label = model._meta.label_lower
            post_save.connect(_saved, sender=model, dispatch_uid=f"change-record-save-{label}")
            post_delete.connect(_deleted, sender=model, dispatch_uid=f"change-record-delete-{label}")
            pre_delete.connect(_deleting, sender=model, dispatch_uid=f"change-record-pre-delete-{label}")
    m2m_changed.connect(_linked, dispatch_uid="change-record-links")
