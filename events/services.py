"""Writes with side effects on events, shared by the admin, its actions and the importers.

Every function takes keyword arguments only, validates with ``full_clean()`` before saving, and
records who made the change. ``event_warnings()`` holds the rules that do not block a save.
"""

import calendar
import re
from datetime import time, timedelta

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from . import changes, recurrence
from .models import Event, OccurrenceChange
from .timefmt import format_moment
from .zones import countries_of_timezone

LONG_TIMED_EVENT = timedelta(days=14)
UNTIL_IN_RULE = re.compile(r"UNTIL=([0-9]{8}(?:T[0-9]{6}Z?)?)")


class EventChangedMeanwhile(ValidationError):
    """Someone else saved the event after the editor opened it."""


def event_check_version(*, event, expected_sequence, lock=True):
    """Raise ``EventChangedMeanwhile`` unless the stored event is still at ``expected_sequence``.

    With ``lock`` (inside a transaction) the row stays locked until the transaction ends, so no
    other save can slip in between this check and the save that follows it.
    """
    rows = Event.objects.filter(pk=event.pk)
    if lock and transaction.get_connection().in_atomic_block:
        rows = rows.select_for_update()
    current = rows.values_list("sequence", flat=True).first()
    if current is not None and current != expected_sequence:
        raise EventChangedMeanwhile(
            gettext_lazy("Another editor saved this event while you were editing it."),
            code="changed_meanwhile",
        )
    return current


def event_save(*, event, user=None, expected_sequence=None):
    """Validate and save an event, recording who did it; refuse if it changed since it was loaded.

    ``sequence`` (the iCalendar SEQUENCE) grows by one with every edit of an existing event
    (``events.changes``).
    """
    with changes.edit():
        if event.pk is not None and expected_sequence is not None:
            event_check_version(event=event, expected_sequence=expected_sequence)
        if user is not None:
            if event._state.adding:
                event.created_by = user
            event.updated_by = user
        event.full_clean()
        event.save()
    return event


OCCURRENCE_CHANGE_FIELDS = ["kind", "original_start", "start", "end", "title", "status"]


def event_occurrence_changes_save(*, event, saved=(), deleted=()):
    """Write an editor's per-date changes of a series at once, validated, and the series' end.

    One edit (``events.changes.edit``): the event's SEQUENCE steps once, or not at all when the same
    edit already stepped it (the admin's change form saves the event first) or created it.
    """
    saved, deleted = list(saved), list(deleted)
    if not saved and not deleted:
        return
    with changes.edit():
        if deleted:
            OccurrenceChange.objects.filter(pk__in=[change.pk for change in deleted]).delete()
        for change in saved:
            change.event = event
            # The event is given, and one row per date is checked for them all at once below.
            change.full_clean(exclude=["event"], validate_constraints=False)
        _check_one_change_per_date(event, saved, deleted)
        existing = [change for change in saved if change.pk is not None]
        if existing:
            OccurrenceChange.objects.bulk_update(existing, OCCURRENCE_CHANGE_FIELDS)
        OccurrenceChange.objects.bulk_create([change for change in saved if change.pk is None])
        event.write_series_end()
        event.refresh_from_db(fields=["sequence", "updated_at"])


def _check_one_change_per_date(event, saved, deleted):
    """The rule of ``events_occurrencechange_one_per_date`` for rows about to be written, in one query."""
    kept = event.occurrence_changes.exclude(pk__in=[row.pk for row in [*saved, *deleted] if row.pk])
    taken = set(kept.values_list("original_start", flat=True))
    for change in saved:
        if change.original_start in taken:
            raise ValidationError(
                {"original_start": gettext("This date is already handled apart from the rule.")},
                code="unique",
            )
        taken.add(change.original_start)


def event_publish(*, event, user=None):
    """Make the event visible to everyone."""
    event.is_published = True
    return event_save(event=event, user=user)


def event_unpublish(*, event, user=None):
    """Turn the event back into a draft, visible to staff only."""
    event.is_published = False
    return event_save(event=event, user=user)


def event_cancel(*, event, user=None):
    """Mark the event cancelled; it stays on the calendar (and in calendar files) as cancelled."""
    event.status = Event.Status.CANCELLED
    return event_save(event=event, user=user)


def slug_base(model, base, *, max_length=200):
    """The slug ``unique_slug`` tries first for ``base`` (already a slug)."""
    return base[:max_length].strip("-") or model._meta.model_name


def unique_slug(model, base, *, taken=(), max_length=200, first=1):
    """``base`` (already a slug), or ``base-2``, ``base-3``... : the first that no row of ``model``
    has and that is not in ``taken`` (slugs given out but not yet saved). Candidates are asked
    about 50 at a time, by the unique index: a title used a thousand times takes 20 queries.
    ``first``: the number to start from (a caller that gave out ``base-7`` already starts at 8)."""
    base = slug_base(model, base, max_length=max_length)

    def numbered(number):
        suffix = f"-{number}"
        return f"{base[: max_length - len(suffix)]}{suffix}"

    while True:
        candidates = [base if number == 1 else numbered(number) for number in range(first, first + 50)]
        on_site = set(model.objects.filter(slug__in=candidates).values_list("slug", flat=True))
        free = [slug for slug in candidates if slug not in on_site and slug not in taken]
        if free:
            return free[0]
        first += 50


def row_save(*, row):
    """Validate and save a session, venue or other row of the calendar: one edit."""
    with changes.edit():
        row.full_clean()
        row.save()
    return row


def _shift_instant(value, zone, years):
    """The same wall-clock time ``years`` later in ``zone`` (14:00 stays 14:00 across clock changes)."""
    if value is None:
        return None
    local = value.astimezone(zone).replace(tzinfo=None) + relativedelta(years=years)
    return local.replace(tzinfo=zone)


def _shift_schedule(item, zone, years):
    if item.all_day:
        item.start_date += relativedelta(years=years)
        item.end_date += relativedelta(years=years)
    else:
        item.start = _shift_instant(item.start, zone, years)
        item.end = _shift_instant(item.end, zone, years)


def event_duplicate(*, event, user=None, shift_years=0):
    """A draft copy of the event with its sessions, documents, categories and tags.

    ``shift_years=1`` moves every date one year on (an annual conference); the copy gets a new slug
    (the year in it replaced when there is one), a new iCalendar UID and starts at SEQUENCE 0.
    """
    zone = event.zone
    with changes.edit():
        copy = Event.objects.get(pk=event.pk)
        sessions = list(event.sessions.all())
        documents = list(event.documents.all())
        occurrence_changes = list(event.occurrence_changes.all())
        categories, tags = list(event.categories.all()), list(event.tags.all())

        copy.pk = copy.id = None
        copy._state.adding = True
        copy.ical_uid = Event._meta.get_field("ical_uid").get_default()
        copy.sequence = 0
        copy.is_published = False
        copy.created_by = copy.updated_by = None
        base_slug = event.slug
        if shift_years:
            _shift_schedule(copy, zone, shift_years)
            copy.derive_schedule()  # a timed event's dates follow its shifted times (the year in the slug)
            copy.registration_deadline = _shift_instant(copy.registration_deadline, zone, shift_years)
            copy.recurrence_rule = _shift_until(copy.recurrence_rule, shift_years)
            old_year, new_year = str(event.start_date.year), str(copy.start_date.year)
            if old_year in base_slug:
                base_slug = base_slug.replace(old_year, new_year)
            else:
                base_slug = f"{base_slug}-{new_year}"
            copy.title = copy.title.replace(old_year, new_year)
        else:
            base_slug = f"{base_slug}-copy"
        copy.slug = unique_slug(Event, base_slug)
        event_save(event=copy, user=user)
        copy.categories.set(categories)
        copy.tags.set(tags)

        for session in sessions:
            session.pk = session.id = None
            session._state.adding = True
            session.event = copy
            session.ical_uid = session._meta.get_field("ical_uid").get_default()
            if shift_years:
                _shift_schedule(session, zone, shift_years)
            session.full_clean()
            session.save()
        for document in documents:
            document.pk = document.id = None
            document._state.adding = True
            document.event = copy
            document.full_clean()
            document.save()
        for change in occurrence_changes:
            change.pk = change.id = None
            change._state.adding = True
            for name in ("original_start", "start", "end"):
                setattr(change, name, _shift_instant(getattr(change, name), zone, shift_years))
        # Created in this edit: the copy's SEQUENCE stays 0.
        event_occurrence_changes_save(event=copy, saved=occurrence_changes)
    return copy


def _shift_until(rule, years):
    """The rule with its UNTIL date (or instant) ``years`` later; COUNT and endless rules unchanged."""
    until = UNTIL_IN_RULE.search(rule or "")
    if not until or not years:
        return rule
    text = until.group(1)
    shifted = f"{int(text[:4]) + years:04d}{text[4:]}"
    if text[4:8] == "0229":  # 29 February of a year without one: the day before
        shifted = shifted if calendar.isleap(int(shifted[:4])) else f"{shifted[:4]}0228{shifted[8:]}"
    return rule.replace(f"UNTIL={text}", f"UNTIL={shifted}")


def event_warnings(event, *, now=None):
    """What looks wrong but may be intended: messages for the editor that do not block the save."""
    now = now or timezone.now()
    warnings = []
    zone = event.zone
    if not event.all_day and event.start and event.end:
        local_end = event.end.astimezone(zone)
        if local_end.time() == time() and event.end > event.start:
            warnings.append(
                gettext(
                    "“%(event)s” ends exactly at midnight (%(end)s). If it runs for whole days, tick "
                    "“all-day” and give its dates instead."
                )
                % {"event": event, "end": format_moment(local_end)}
            )
        if event.end - event.start > LONG_TIMED_EVENT:
            days = (event.end - event.start).days
            warnings.append(
                gettext(
                    "“%(event)s” is a timed event lasting %(days)s days. Check the end, or make it all-day "
                    "if it spans whole days."
                )
                % {"event": event, "days": days}
            )
    if event.venue and event.venue.country and event.is_in_person:
        countries = countries_of_timezone(event.timezone)
        if countries and event.venue.country not in countries:
            warnings.append(
                gettext(
                    "The venue “%(venue)s” is in %(country)s, but the event's times are in %(zone)s. "
                    "Check the timezone."
                )
                % {"venue": event.venue, "country": event.venue.get_country_display(), "zone": event.timezone}
            )
    if event.is_published and not event.venue and not event.online_url:
        warnings.append(
            gettext(
                "“%(event)s” is published without a venue or an online link: visitors cannot tell where "
                "it is."
            )
            % {"event": event}
        )
    if event.recurrence_rule and event.start:
        warnings += _series_warnings(event)
    if event.registration_deadline and event.registration_deadline <= now:
        deadline = event.registration_deadline.astimezone(zone)
        warnings.append(
            gettext(
                "The registration deadline (%(deadline)s) has already passed: visitors see registration as "
                "closed."
            )
            % {"deadline": format_moment(deadline)}
        )
    return warnings


def _series_warnings(event):
    """A series whose start or per-date rows do not match its rule, or whose dates skip some months."""
    try:
        rule = recurrence.series_rule(event)
    except (ValueError, TypeError):
        return []
    warnings = []
    if not recurrence.is_series_date(event, event.start, rule):
        warnings.append(
            gettext(
                "“%(event)s” starts on %(start)s, which is not a date of its rule (%(rule)s): calendar apps "
                "disagree about such a series. Move the start to the rule's first date, or change the rule."
            )
            % {"event": event, "start": format_moment(event.local_start), "rule": event.recurrence_rule}
        )
    orphans = [
        change
        for change in event.occurrence_changes.all()
        if change.kind != OccurrenceChange.Kind.ADD
        and not recurrence.is_series_date(event, change.original_start, rule)
    ]
    if orphans:
        dates = ", ".join(format_moment(change.original_start.astimezone(event.zone)) for change in orphans)
        warnings.append(
            gettext(
                "Dates handled apart from the rule of “%(event)s” that are not dates of the series, so they "
                "have no effect: %(dates)s. Delete them or give a date of the series."
            )
            % {"event": event, "dates": dates}
        )
    frequency = recurrence.rule_parts(event.recurrence_rule)
    plain = not any(name in frequency for name in ("BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "BYYEARDAY"))
    start_day = event.start_date
    if plain and frequency.get("FREQ") == "MONTHLY" and start_day.day > 28:
        warnings.append(
            gettext("“%(event)s” repeats monthly on day %(day)s: months without that day are skipped.")
            % {"event": event, "day": start_day.day}
        )
    if plain and frequency.get("FREQ") == "YEARLY" and (start_day.month, start_day.day) == (2, 29):
        warnings.append(
            gettext("“%(event)s” repeats yearly on 29 February: it happens in leap years only.")
            % {"event": event}
        )
    return warnings
