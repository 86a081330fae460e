"""The calendar's data: events with their sessions and documents, venues, organizers and taxonomy.

Time is stored twice on purpose, for two different questions:

* ``start``/``end`` are aware instants (an all-day event runs from local midnight of its first day
  to local midnight after its last day, an exclusive end, in the event's own timezone). They order
  and filter events ("upcoming", "past") and go into .ics files as instants.
* ``start_date``/``end_date`` are the calendar dates the item covers in its own timezone (``end_date``
  inclusive). They place an all-day event on a calendar: June 14–16 stays June 14–16 wherever the
  visitor is.

For an all-day item the dates are what the editor enters and the instants are derived; for a timed
item it is the other way round. ``derive_schedule()`` is the one place that does it.
"""

import contextlib
import functools
import uuid
import zoneinfo
from datetime import date, datetime, time
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..zones import LocalTimes, days_covered, exclusive_end_date
from .constraints import CheckConstraint, ChecksInOneQuery


@functools.cache
def zone_named(name):
    """``ZoneInfo(name)``, remembered: the calendar asks for each event's zone several times, and a
    busy month holds thousands of events (ZoneInfo's own cache is several times slower)."""
    return zoneinfo.ZoneInfo(name)


def default_timezone():
    """New events default to the site's timezone."""
    return settings.TIME_ZONE


def new_ical_uid():
    """A globally unique iCalendar UID that names this site's domain (RFC 5545 §3.8.4.7)."""
    return f"{uuid.uuid4()}@{settings.SITE_DOMAIN}"


class Scheduled(ChecksInOneQuery, LocalTimes, models.Model):
    """Start and end of something on the calendar: all-day dates or timed instants (see module doc)."""

    all_day = models.BooleanField(
        default=False,
        help_text=_("All-day items are whole calendar dates that never shift with timezones."),
        verbose_name=_("all day"),
    )
    start = models.DateTimeField(
        blank=True, help_text=_("Start instant (derived for all-day items)."), verbose_name=_("start")
    )
    end = models.DateTimeField(
        blank=True, help_text=_("End instant, exclusive (derived for all-day items)."), verbose_name=_("end")
    )
    start_date = models.DateField(
        blank=True, help_text=_("First day, in the item's own timezone."), verbose_name=_("start date")
    )
    end_date = models.DateField(
        blank=True,
        help_text=_("Last day, inclusive, in the item's own timezone."),
        verbose_name=_("end date"),
    )

    class Meta:
        abstract = True
        constraints = [
            CheckConstraint(
                name="%(app_label)s_%(class)s_end_not_before_start",
                condition=models.Q(end__gte=models.F("start")),
            ),
            CheckConstraint(
                name="%(app_label)s_%(class)s_end_date_not_before_start_date",
                condition=models.Q(end_date__gte=models.F("start_date")),
            ),
        ]

    def save(self, *args, **kwargs):
        self.derive_schedule()
        super().save(*args, **kwargs)

    def prepare_to_write(self):
        """What a write works out first (``save()``; ``bulk_create()`` through
        ``events.changes.RecordingQuerySet``): the derived pair of times."""
        self.derive_schedule()

    @property
    def zone(self):
        """The ``ZoneInfo`` this item's wall-clock times and dates are read in."""
        raise NotImplementedError

    def derive_schedule(self):
        """Fill in the derived pair (instants for all-day, dates for timed) from the entered pair."""
        zone = self.zone
        if self.all_day:
            if self.start_date is None or self.end_date is None:
                return
            self.start = datetime.combine(self.start_date, time(), zone)
            self.end = datetime.combine(exclusive_end_date(self.end_date), time(), zone)
        else:
            if self.start is None or self.end is None:
                return
            self.start_date, self.end_date = days_covered(self.start, self.end, zone)

    def clean_schedule(self):
        """Check the entered pair and derive the other; errors are keyed by the field to fix."""
        if self.all_day:
            required, end_field, start_field = ("start_date", "end_date"), "end_date", "start_date"
        else:
            required, end_field, start_field = ("start", "end"), "end", "start"
        missing = {
            name: ValidationError(_("This field is required."), code="required")
            for name in required
            if getattr(self, name) is None
        }
        if missing:
            raise ValidationError(missing)
        if getattr(self, end_field) < getattr(self, start_field):
            raise ValidationError(
                {
                    end_field: ValidationError(
                        _("The end must not be before the start."), code="end_before_start"
                    )
                }
            )
        # An unknown timezone is reported on its own field by its validator.
        with contextlib.suppress(zoneinfo.ZoneInfoNotFoundError, ValueError):
            self.derive_schedule()

    def clean(self):
        super().clean()
        self.clean_schedule()

    @property
    def is_multi_day(self):
        return self.end_date > self.start_date


class CalendarEntry(NamedTuple):
    """A one-off event as a calendar grid places it, read as plain values.

    Only what placing needs (``pk``, ``all_day``, the instants and the dates), all of it read from
    the calendar's covering indexes; the few entries a grid shows become events in one more query
    (``EventQuerySet.for_calendar_cells()``).
    """

    id: int
    all_day: bool
    start: datetime
    end: datetime
    start_date: date
    end_date: date

    @property
    def pk(self):
        return self.id
