"""Events, and which of them are shown (``EventQuerySet``)."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, router
from django.utils import timezone
from django.utils.translation import get_language, gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from events_site.rich_text import RICH_TEXT_HELP, RichTextField
from events_site.safe_urls import SafeUrls
from events_site.search import title_has_every_word

from .. import changes, recurrence
from ..paths import slug_path
from ..postgres import trigram_index, walking_an_index_in_order
from ..timefmt import format_day, format_moment
from ..zones import validate_timezone
from .constraints import CheckConstraint
from .images import Illustrated
from .places import Organizer, Venue
from .records import ContentRevision, EditorialRecord
from .schedule import CalendarEntry, Scheduled, default_timezone, new_ical_uid, zone_named
from .taxonomy import Category, Tag


def feed_window_start(now=None):
    """The start of a subscription's window (``EventQuerySet.in_feed_window``)."""
    return (now or timezone.now()) - timedelta(days=settings.ICS_FEED_PAST_DAYS)


class EventQuerySet(changes.RecordingQuerySet):
    """Which events are shown, and in what order."""

    def bulk_create(self, objs, *args, **kwargs):
        """New rows written as ``save()`` writes one: prepared (``Event.prepare_to_write``, by
        ``RecordingQuerySet``, which records the write) and, with an image, its renditions made."""
        objs = super().bulk_create(objs, *args, **kwargs)
        for obj in objs:
            obj.image_written()
        return objs

    bulk_create.alters_data = True

    def published(self):
        return self.filter(is_published=True)

    def upcoming(self, now=None):
        """Events whose last date has not ended (running ones and unfinished series included),
        soonest first."""
        return self.filter(last_end__gt=now or timezone.now()).order_by("start", "pk")

    def upcoming_one_off(self, now=None):
        """The one-off events of ``upcoming()``, soonest first.

        No one-off event lasts longer than the longest (``longest_duration_days()``, one query that
        reads one index entry), so none that started earlier than that before now is still going:
        with that bound the database reads the start index from there on, instead of walking every
        event that has already ended from the first one held.
        """
        now = now or timezone.now()
        earliest_start = now - timedelta(days=self.longest_duration_days())
        return self.upcoming(now).one_off().filter(start__gte=earliest_start)

    def upcoming_listing(self, now=None, *, bounds=(None, None)):
        """What is coming, soonest first: upcoming one-off events merged with the dates of series in
        the coming year (``recurrence.Listing``, read only as far as it is sliced).

        ``bounds``: the first and last instant the visitor's dates allow (``EventFilterForm.bounds``);
        series' dates are kept within them (the filters already narrow one-off events)."""
        now = now or timezone.now()
        window = recurrence.clip_window((now, now + recurrence.SERIES_HORIZON), bounds)
        dates = self.upcoming(now).recurring().occurrences_between(*window) if window else []
        return recurrence.Listing(self.upcoming_one_off(now), dates)

    def past_listing(self, now=None, *, bounds=(None, None)):
        """What has ended, latest first: ended one-off events merged with the dates of series in the
        past year that have ended (``bounds`` as for ``upcoming_listing()``)."""
        now = now or timezone.now()
        window = recurrence.clip_window((now - recurrence.SERIES_HORIZON, now), bounds)
        dates = self.recurring().occurrences_between(*window) if window else []
        ended = [occurrence for occurrence in dates if occurrence.end <= now]
        return recurrence.Listing(self.past(now).one_off(), ended, descending=True)

    def visible_to(self, user):
        """What ``user`` may see: published events, and drafts too for staff (to preview them)."""
        return self if user.is_staff else self.published()

    def past(self, now=None):
        """Events whose last date has ended, most recent first."""
        now = now or timezone.now()
        # start <= last_end always holds, so "start__lte" changes nothing in the result; it lets
        # the database begin its walk down the start index at now, not at the last event.
        return self.filter(last_end__lte=now, start__lte=now).order_by("-start", "-pk")

    def recurring(self):
        """Series: events with a recurrence rule (written as the series index's condition, so the
        database can read them from it)."""
        return self.filter(recurrence_rule__gt="")

    def in_category(self, category):
        """Events in ``category``."""
        return self._linked("categories", category)

    def tagged(self, tag):
        """Events with ``tag``."""
        return self._linked("tags", tag)

    def _linked(self, field_name, term):
        # EXISTS on the link table (its (event, term) index answers each event), not a join: the
        # database may then start from whichever index suits the rest of the query, such as the
        # few series, or upcoming events in start order, instead of every event of the term.
        links = self.model._meta.get_field(field_name).remote_field.through.objects.filter(
            **{self.model._meta.model_name: models.OuterRef("pk"), term._meta.model_name: term}
        )
        return self.filter(models.Exists(links))

    def occurrences_between(self, window_start, window_end):
        """Every date of these events (one-off and series) overlapping the window, in start order
        (``events.recurrence``), read in two queries however many dates there are."""
        # A plain list per event (to_attr): a prefetched manager per event costs far more when a
        # busy month holds thousands of events. Unordered: the dates come back sorted, and asked for start
        # order SQLite walks the start index over every event instead of reading the few series
        # from theirs.
        changes = models.Prefetch("occurrence_changes", to_attr="prefetched_changes")
        events = self.order_by().prefetch_related(changes)
        return recurrence.occurrences_in_window(events, window_start, window_end)

    def one_off(self):
        """Events without a recurrence rule: each is one stretch of time."""
        return self.filter(recurrence_rule="")

    def overlapping_dates(self, first_day=None, last_day=None, zone=None):
        """Events on any day from ``first_day`` to ``last_day`` (inclusive, either open) of a calendar.

        Days are those of ``zone`` (default: the site's timezone). A timed event is on a day when
        its instants overlap that day there; an all-day event is on the dates it names, wherever.
        """
        timed, all_day = self._one_off_overlap(first_day, last_day, zone)
        return self.filter(timed | all_day | self._series_overlap(first_day, last_day, zone))

    def calendar_entries(self, first_day, last_day, zone=None):
        """The one-off events of ``overlapping_dates()`` as light ``CalendarEntry`` rows, unordered.

        For a calendar that shows a few of the thousands of events a busy month holds: plain values,
        not model instances (building those took most of the month page's time at 100,000 events).
        Timed and all-day events are read as a UNION, each part from its own covering index (no
        table row is read): under an OR of the two, SQLite walked one index over the whole table.
        """
        timed, all_day = self._one_off_overlap(first_day, last_day, zone)
        rows = self.order_by().values_list(*CalendarEntry._fields)
        return [CalendarEntry._make(row) for row in rows.filter(timed).union(rows.filter(all_day), all=True)]

    def series_overlapping_dates(self, first_day, last_day, zone=None):
        """The series of ``overlapping_dates()``: those whose span meets the days (expanding them,
        ``events.recurrence``, says which of their dates do), unordered.

        Unordered because expanding them orders their dates anyway, and asked for start order,
        SQLite walked the start index from the first event instead of reading the few series.
        """
        return self.filter(self._series_overlap(first_day, last_day, zone)).order_by()

    def _one_off_overlap(self, first_day, last_day, zone):
        """(timed, all-day) conditions of ``overlapping_dates()`` for one-off events."""
        zone = zone or timezone.get_current_timezone()
        one_off = models.Q(recurrence_rule="")
        timed, all_day = one_off & models.Q(all_day=False), one_off & models.Q(all_day=True)
        if first_day:
            day_starts = datetime.combine(first_day, time(), zone)
            # No event lasts longer than the longest one: that bounds how early an overlapping event
            # can start, so the database reads a range of the start indexes instead of every event
            # that started before the window (a sequential scan on PostgreSQL).
            longest = timedelta(days=self.longest_duration_days())
            timed &= (models.Q(end__gt=day_starts) | models.Q(start__gte=day_starts)) & models.Q(
                start__gte=day_starts - longest
            )
            all_day &= models.Q(end_date__gte=first_day, start_date__gte=first_day - longest)
        if last_day:
            timed &= models.Q(start__lt=datetime.combine(last_day + timedelta(days=1), time(), zone))
            all_day &= models.Q(start_date__lte=last_day)
        return timed, all_day

    def _series_overlap(self, first_day, last_day, zone):
        """The condition of ``overlapping_dates()`` for series."""
        zone = zone or timezone.get_current_timezone()
        # A series is a candidate when its span meets the window (a day's margin for all-day
        # dates read elsewhere); expanding it (events.recurrence) says which occurrences do.
        series = models.Q(recurrence_rule__gt="")
        if first_day:
            series &= models.Q(last_end__gt=datetime.combine(first_day, time(), zone) - timedelta(days=1))
        if last_day:
            series &= models.Q(start__lt=datetime.combine(last_day + timedelta(days=2), time(), zone))
        return series

    def best_matches(self, text, limit):
        """The first ``limit`` of these events that match the search ``text`` (``search``), best
        first (``events_site.search``): those whose title holds every word, then the others, the
        latest first within each. Loaded as ``self`` loads them (its prefetches included), in a fixed
        number of queries, without reading every match.

        A rare word's few matches are best found through the search indexes and sorted; a common
        word's are best found by walking the start index from the latest event until enough
        match. The database's planner guesses which from its statistics, and guesses badly for
        several words (for "labour inspection" PostgreSQL expected 82 title matches of 6,795, and
        sorted them all). So the matches are read up to ``MATCHES_PROBED`` first, by a query that
        stops there: fewer, and they are all there is to sort; more, and the latest are walked to.
        """
        in_title = title_has_every_word(text.split())
        matches = self.search(text)
        flagged = matches.order_by().annotate(
            in_title=models.ExpressionWrapper(in_title, output_field=models.BooleanField())
        )
        probed = list(flagged.values_list("pk", "start", "in_title")[: self.MATCHES_PROBED])
        if len(probed) < self.MATCHES_PROBED:
            probed.sort(key=lambda row: (bool(row[2]), row[1], row[0]), reverse=True)
            ids = [pk for pk, _, _ in probed[:limit]]
        else:
            ids = matches.filter(in_title)._latest_ids(limit)
            if len(ids) < limit:
                ids += matches.exclude(in_title)._latest_ids(limit - len(ids))
        found = self.filter(pk__in=ids).order_by().in_bulk()
        return [found[pk] for pk in ids if pk in found]

    # Matches read to decide how to find the best of them (``best_matches``).
    MATCHES_PROBED = 100

    def _latest_ids(self, limit):
        """The ids of the ``limit`` latest of these events: sorted when there are fewer than
        ``MATCHES_PROBED`` of them, else walked to by the start index."""
        probed = list(self.order_by().values_list("pk", "start")[: self.MATCHES_PROBED])
        if len(probed) < self.MATCHES_PROBED:
            probed.sort(key=lambda row: (row[1], row[0]), reverse=True)
            return [pk for pk, _ in probed[:limit]]
        with walking_an_index_in_order(self.db):
            return list(self.order_by("-start", "-pk").values_list("pk", flat=True)[:limit])

    def longest_duration_days(self):
        """The largest ``duration_days`` of any event (filters ignored: it is a bound), in one
        query that reads one entry of its index."""
        longest = self.model._base_manager.using(self.db).aggregate(longest=models.Max("duration_days"))
        return longest["longest"] or 0

    def search(self, text):
        """Events whose title, summary, description, venue name or city contain every word."""
        words = text.split()
        condition = models.Q()
        # The venues are looked up first (one small query) and named by id, rather than joined: each
        # alternative of the OR then tests a column of events_event, so PostgreSQL can answer it from
        # an index (the trigram indexes, the venue key) and estimate how many events match.
        for word, venue_ids in zip(words, Venue.objects.ids_containing_each(words), strict=True):
            condition &= (
                models.Q(title__icontains=word)
                | models.Q(summary__icontains=word)
                | models.Q(description__icontains=word)
                | models.Q(venue__in=venue_ids)
            )
        return self.filter(condition)

    def for_listing(self):
        """Everything a list or card shows, fetched in a fixed number of queries."""
        return self.select_related("venue", "organizer").prefetch_related("categories", "tags")

    def for_calendar_cells(self):
        """What a calendar grid's cell shows of an event (its link, title and status), nothing more."""
        return self.only("title", "slug", "status", "all_day", "start", "end", "start_date", "end_date")

    def for_calendar_file(self):
        """Everything an .ics file writes of an event, fetched in a fixed number of queries."""
        return self.select_related("venue", "organizer").prefetch_related(
            "categories",
            "occurrence_changes",
            models.Prefetch("sessions", queryset=self._sessions_in_order()),
        )

    def _sessions_in_order(self):
        # Session (events.models.programme) refers to Event: found through the relation instead.
        return self.model._meta.get_field("sessions").related_model.objects.order_by("start", "pk")

    def for_calendar_feed(self):
        """As ``for_calendar_file()``, for feeds of thousands of events: categories and sessions
        come as plain lists (``feed_categories``, ``feed_sessions``), which costs far less per event
        than a prefetched manager; ``events.calendar_files.builder`` reads either."""
        return self.select_related("venue", "organizer").prefetch_related(
            models.Prefetch("categories", to_attr="feed_categories"),
            "occurrence_changes",
            models.Prefetch("sessions", queryset=self._sessions_in_order(), to_attr="feed_sessions"),
        )

    def with_content_revision(self):
        """Each event with the site's ``content_revision`` and ``content_revised_at``
        (``ContentRevision``), read in the same query, for the validators of its calendar files."""
        number, changed_at = ContentRevision.read_along()
        return self.annotate(content_revision=number, content_revised_at=changed_at)

    def _texts_in(self, language):
        """These events joined to their stored calendar texts in ``language`` (default: the one in
        use), as ``text_in_language``: at most one row each (events.calendar_files.stored)."""
        texts = models.FilteredRelation(
            "feed_texts", condition=models.Q(feed_texts__language=language or get_language())
        )
        return self.annotate(text_in_language=texts)

    def with_stored_text(self, language=None):
        """Each event with its stored calendar text in ``language`` (``stored_text``) and the key it
        was written for (``stored_text_key``), read in the same query."""
        return self._texts_in(language).annotate(
            stored_text_key=models.F("text_in_language__key"), stored_text=models.F("text_in_language__text")
        )

    def first_by_start(self, count):
        """The first ``count`` of these events by start, as a queryset of their own (a feed's cap)."""
        return self.model.objects.filter(pk__in=self.order_by("start", "pk").values("pk")[:count])

    def with_feed_texts(self, language=None):
        """(pk, key, stored text in ``language``) of these events for a feed
        (``events.calendar_files.stored``), in the order they were added."""
        return (
            self._texts_in(language)
            .order_by("pk")
            .values_list("pk", "text_in_language__key", "text_in_language__text")
        )

    def in_feed_window(self, now=None):
        """What a calendar subscription carries: events that ended at most ``ICS_FEED_PAST_DAYS``
        ago, and every later one (no limit forward)."""
        return self.filter(last_end__gt=feed_window_start(now))

    def feed_summary(self, window_since=None):
        """What a calendar file of these events needs before its VEVENTs, in one query: ``count``,
        ``zones`` ([(timezone, first instant, last instant), ...], to write a VTIMEZONE for each
        zone, bounded in time: sessions use their event's zone and lie within its dates) and the
        content ``revision`` (``ContentRevision``: number and time), read in the same snapshot as
        the rows, for the feed's ETag and Last-Modified.

        With ``window_since`` (the start of the feed window, ``in_feed_window()``) also ``left_at``:
        when the last published event left the window (its body changed then, with no change of
        content), so that Last-Modified follows it."""
        number, changed_at = ContentRevision.read_along()
        extra = {"revision": number, "revised_at": changed_at}
        departed = None
        if window_since is not None:
            departed = Event._base_manager.filter(is_published=True, last_end__lte=window_since)
            extra["departed"] = models.Subquery(departed.order_by("-last_end").values("last_end")[:1])
        rows = (
            self.order_by()
            .values("timezone")
            .annotate(
                count=models.Count("pk", distinct=True),
                first=models.Min("start"),
                last=models.Max("end"),
                **extra,
            )
            .order_by("timezone")
        )
        rows = list(rows)
        if rows:
            first = rows[0]
            revision, revised_at, last_departure = (
                first["revision"],
                first["revised_at"],
                first.get("departed"),
            )
        else:  # no event to read them with (an empty feed): read alone
            revision, revised_at = ContentRevision.row().values_list("number", "changed_at").first() or (
                0,
                None,
            )
            last_departure = (
                departed.aggregate(last=models.Max("last_end"))["last"] if departed is not None else None
            )
        left_at = last_departure + timedelta(days=settings.ICS_FEED_PAST_DAYS) if last_departure else None
        return {
            "count": sum(row["count"] for row in rows),
            "zones": [(row["timezone"], row["first"], row["last"]) for row in rows],
            "revision": revision or 0,
            "last_modified": max(filter(None, (revised_at, left_at)), default=None),
        }


class Event(SafeUrls, Illustrated, Scheduled, EditorialRecord):
    """Something on the calendar: a conference, a hearing, a webinar."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", pgettext_lazy("event status", "Scheduled")
        CANCELLED = "cancelled", pgettext_lazy("event status", "Cancelled")
        POSTPONED = "postponed", pgettext_lazy("event status", "Postponed")
        RESCHEDULED = "rescheduled", pgettext_lazy("event status", "Rescheduled")
        MOVED_ONLINE = "moved_online", pgettext_lazy("event status", "Moved online")

    class AttendanceMode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        MIXED = "mixed", _("In person and online")

    SCHEMA_ORG_STATUS = {
        Status.SCHEDULED: "https://schema.org/EventScheduled",
        Status.CANCELLED: "https://schema.org/EventCancelled",
        Status.POSTPONED: "https://schema.org/EventPostponed",
        Status.RESCHEDULED: "https://schema.org/EventRescheduled",
        Status.MOVED_ONLINE: "https://schema.org/EventMovedOnline",
    }
    SCHEMA_ORG_ATTENDANCE_MODE = {
        AttendanceMode.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
        AttendanceMode.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
        AttendanceMode.MIXED: "https://schema.org/MixedEventAttendanceMode",
    }

    title = models.CharField(max_length=300, verbose_name=_("title"))
    slug = models.SlugField(max_length=200, unique=True, verbose_name=_("slug"))
    summary = models.TextField(
        blank=True, help_text=_("One or two sentences for lists and previews."), verbose_name=_("summary")
    )
    description = RichTextField(blank=True, help_text=RICH_TEXT_HELP, verbose_name=_("description"))
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.SCHEDULED, verbose_name=_("status")
    )
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Drafts are visible only to staff.")
    )
    timezone = models.CharField(
        max_length=64,
        default=default_timezone,
        validators=[validate_timezone],
        help_text=_("The timezone the event's times are given in (the venue's is suggested first)."),
        verbose_name=_("timezone"),
    )

    venue = models.ForeignKey(
        Venue, on_delete=models.PROTECT, null=True, blank=True, related_name="events", verbose_name=_("venue")
    )
    attendance_mode = models.CharField(
        max_length=20,
        choices=AttendanceMode.choices,
        default=AttendanceMode.IN_PERSON,
        verbose_name=_("attendance mode"),
    )
    online_platform = models.CharField(
        max_length=100, blank=True, help_text=_("For example Zoom."), verbose_name=_("online platform")
    )
    online_url = models.URLField(_("online link"), blank=True, help_text=_("Where online attendees join."))
    online_access = models.CharField(
        _("how to join online"),
        max_length=200,
        blank=True,
        help_text=_("For example “upon registration”."),
    )
    organizer = models.ForeignKey(
        Organizer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("organizer"),
    )

    is_free = models.BooleanField(_("free"), default=False)
    cost_text = models.CharField(
        _("cost"),
        max_length=200,
        blank=True,
        help_text=_("As shown to visitors, e.g. “€50, students €20”."),
    )
    cost_amount = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True, verbose_name=_("cost amount")
    )
    cost_currency = models.CharField(
        max_length=3, blank=True, help_text=_("ISO 4217 code, e.g. EUR."), verbose_name=_("cost currency")
    )

    registration_url = models.URLField(_("registration URL"), blank=True)
    registration_deadline = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("In the event's own timezone; registration closes then."),
        verbose_name=_("registration deadline"),
    )
    contact_email = models.EmailField(blank=True, verbose_name=_("contact email"))
    hashtags = models.CharField(
        max_length=200, blank=True, help_text=_("For example #CTHB21."), verbose_name=_("hashtags")
    )

    recurrence_rule = models.CharField(
        _("repeats"),
        max_length=500,
        blank=True,
        validators=[recurrence.validate_rule],
        help_text=_(
            "An RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=TU or FREQ=MONTHLY;BYDAY=2TU;COUNT=10. "
            "Empty: the event happens once."
        ),
    )
    duration_days = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text=_(
            "Whole days no shorter than the event (its first date's occurrence for a series): "
            "from start to end, and from its first to its last date. Calendar queries bound how early an "
            "overlapping event can start with the longest."
        ),
        verbose_name=_("duration days"),
    )
    last_end = models.DateTimeField(
        editable=False,
        help_text=_(
            "When the event's last date ends: its end, a series' last date's end, or far in "
            "the future for an endless series. Upcoming and past lists select on it."
        ),
        verbose_name=_("last end"),
    )

    categories = models.ManyToManyField(
        Category, blank=True, related_name="events", verbose_name=_("categories")
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="events", verbose_name=_("tags"))

    ical_uid = models.CharField(
        _("iCalendar UID"), max_length=255, unique=True, default=new_ical_uid, editable=False
    )
    sequence = models.PositiveIntegerField(
        _("version"),
        default=0,
        editable=False,
        help_text=_("Goes up by one with every saved change; calendar apps use it to update their copy."),
    )
    objects = EventQuerySet.as_manager()

    class Meta(Scheduled.Meta):
        ordering = ["start", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            # The order of upcoming()/past() lists, for published events only. "last_end" in the
            # key lets the database check it on the index entry while walking in start order,
            # instead of fetching every row that has already ended; partial rather than led by
            # is_published, because SQLite does not treat a bare boolean column as an equality on
            # the index.
            models.Index(
                fields=["start", "id", "last_end"],
                condition=models.Q(is_published=True),
                name="events_event_pub_order_idx",
            ),
            # The feed window (in_feed_window), covering what feed_summary() reads, so that it
            # reads the index alone instead of two thirds of the table (key columns rather than
            # INCLUDE, which SQLite does not have).
            models.Index(
                fields=["is_published", "last_end", "timezone", "start", "end", "updated_at", "id"],
                name="events_event_feed_window_idx",
            ),
            models.Index(fields=["start_date", "end_date"], name="events_event_dates_idx"),
            # The calendar grid (calendar_entries): the one-off events of a span of days, timed
            # ones by their start and all-day ones by their dates, each index holding every column
            # placing reads, so a busy month reads a few index pages instead of a table row per
            # event. (The condition's columns are in them for SQLite, which reads only the index
            # when every column the query names is in it.)
            models.Index(
                fields=[
                    "start",
                    "end",
                    "id",
                    "all_day",
                    "start_date",
                    "end_date",
                    "recurrence_rule",
                    "is_published",
                ],
                condition=models.Q(is_published=True, recurrence_rule="", all_day=False),
                name="events_event_grid_timed_idx",
            ),
            models.Index(
                fields=[
                    "start_date",
                    "end_date",
                    "id",
                    "all_day",
                    "start",
                    "end",
                    "recurrence_rule",
                    "is_published",
                ],
                condition=models.Q(is_published=True, recurrence_rule="", all_day=True),
                name="events_event_grid_all_day_idx",
            ),
            # The calendar's bound (longest_duration_days): MAX reads one entry of it.
            models.Index(fields=["duration_days"], name="events_event_duration_idx"),
            # Series are few: the calendar finds those whose span meets a window here.
            models.Index(
                fields=["last_end", "start"],
                condition=models.Q(recurrence_rule__gt=""),
                name="events_event_series_idx",
            ),
            # Search (EventQuerySet.search): trigram indexes for icontains, on PostgreSQL only.
            trigram_index("title", name="events_event_title_trgm"),
            trigram_index("summary", name="events_event_summary_trgm"),
            trigram_index("description", name="events_event_description_trgm"),
        ]
        constraints = [
            *Scheduled.Meta.constraints,
            CheckConstraint(
                name="events_event_free_has_no_amount",
                condition=models.Q(is_free=False) | models.Q(cost_amount__isnull=True),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        changes.event_saving(self, kwargs.get("using") or router.db_for_write(Event, instance=self))
        self.prepare_to_write()
        super().save(*args, **kwargs)

    def prepare_to_write(self):
        """What every write of the row works out first: ``save()``, and ``bulk_create()`` of new
        rows (``events.changes.RecordingQuerySet``, an import's batches): a scheduled item's times,
        and the event's links checked, rule normalized and a series' last end."""
        self.refuse_unsafe_urls()
        self.recurrence_rule = recurrence.normalize_rule(self.recurrence_rule)
        super().prepare_to_write()
        if self.recurrence_rule:
            self.last_end = self.series_last_end()

    def get_absolute_url(self):
        return slug_path("events:detail", self.slug)

    def get_ical_url(self):
        return slug_path("events:detail_ics", self.slug)

    def clean(self):
        """Every problem at once, each on its field: the schedule's (missing or reversed times),
        the cost's and the registration deadline's are checked side by side, not one after another."""
        errors = self.image_errors()
        try:
            super().clean()
        except ValidationError as error:
            error.update_error_dict(errors)
        if self.is_free and self.cost_amount is not None:
            errors.setdefault("cost_amount", []).append(
                ValidationError(
                    _("A free event has no price; clear the amount or untick “free”."),
                    code="free_with_amount",
                )
            )
        if self.cost_amount is not None and not self.cost_currency:
            errors.setdefault("cost_currency", []).append(
                ValidationError(_("Give the currency of the amount."), code="no_currency")
            )
        if self.registration_deadline and self.end and self.registration_deadline > self.end:
            errors.setdefault("registration_deadline", []).append(
                ValidationError(
                    _("Registration must close before the event ends (%(end)s)."),
                    code="deadline_after_end",
                    params={"end": format_moment(self.local_end)},
                )
            )
        if errors:
            raise ValidationError(errors)

    def derive_schedule(self):
        super().derive_schedule()
        if None not in (self.start, self.end, self.start_date, self.end_date):
            self.duration_days = max(
                -((self.start - self.end) // timedelta(days=1)), (self.end_date - self.start_date).days
            )
        if not self.recurrence_rule:  # a series' last date needs its changes: save() works it out
            self.last_end = self.end

    @property
    def zone(self):
        return zone_named(self.timezone)

    @property
    def is_recurring(self):
        return bool(self.recurrence_rule)

    @property
    def is_occurrence(self):
        """An event is never one date of a series (``recurrence.Occurrence`` is)."""
        return False

    @property
    def rule_description(self):
        """The repeat rule in words ("Every week on Tuesday"); empty for a one-off event."""
        return recurrence.describe_rule(self)

    def series_last_end(self):
        """When the last date of this series ends, its per-date changes as saved included (far in
        the future when it never ends)."""
        changes = [] if self._state.adding else list(self.occurrence_changes.all())
        return recurrence.last_end(self, changes)

    def write_series_end(self, using=None):
        """Write ``last_end`` again after the per-date changes were written. A derived column,
        written plainly: the change of those rows is what ``events.changes`` records."""
        self.last_end = self.series_last_end()
        rows = models.QuerySet(Event, using=using or self._state.db).filter(pk=self.pk)
        rows.update(last_end=self.last_end)

    def occurrences_between(self, window_start, window_end):
        """This event's occurrences overlapping ``[window_start, window_end)``: one, none, or a series'."""
        return recurrence.occurrences(self, window_start, window_end)

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def is_online(self):
        return self.attendance_mode in (self.AttendanceMode.ONLINE, self.AttendanceMode.MIXED)

    @property
    def is_in_person(self):
        return self.attendance_mode in (self.AttendanceMode.IN_PERSON, self.AttendanceMode.MIXED)

    @property
    def online_display(self):
        """How to attend online, in words: "Online via Zoom (upon registration)"."""
        if not self.is_online:
            return ""
        if self.online_platform:
            text = gettext("Online via %(platform)s") % {"platform": self.online_platform}
        else:
            text = gettext("Online")
        return f"{text} ({self.online_access})" if self.online_access else text

    @property
    def location_display(self):
        """The "Where" line of pages and the LOCATION of .ics files."""
        place = self.venue.place_display if self.is_in_person and self.venue else ""
        online = self.online_display
        if place and online:
            # "Hofburg, Vienna, Austria and online via Zoom"
            return gettext("%(place)s and %(online)s") % {
                "place": place,
                "online": f"{online[0].lower()}{online[1:]}",
            }
        return place or online

    @property
    def cost_display(self):
        """ "Free", the editor's cost text, or the amount with its currency; empty when unknown."""
        if self.is_free:
            return gettext("Free")
        if self.cost_text:
            return self.cost_text
        if self.cost_amount is not None:
            return f"{self.cost_amount} {self.cost_currency}".strip()
        return ""

    @property
    def has_registration(self):
        return bool(self.registration_url or self.registration_deadline)

    def registration_is_open(self, now=None):
        """Open until the deadline (or, without one, until the event ends)."""
        now = now or timezone.now()
        closes_at = self.registration_deadline or self.end
        return not self.is_cancelled and now < closes_at

    def has_ended(self, now=None):
        """Whether its last date is over (a series: its last occurrence; an endless one never)."""
        ends = self.last_end if self.last_end is not None else self.end
        return ends is not None and ends <= (now or timezone.now())

    @property
    def deadline_is_ahead(self):
        """Whether a reminder of the registration deadline still makes sense."""
        return bool(self.registration_deadline) and timezone.now() < self.registration_deadline

    def registration_state(self, now=None):
        """The registration in a few words for cards and lists ("" when there is none to speak of):
        "Registration closes in 3 days", "Registration closes today", "Registration open until
        June 10, 2021", "Registration closed"."""
        if not self.has_registration or self.is_cancelled:
            return ""
        now = now or timezone.now()
        if not self.registration_is_open(now):
            return gettext("Registration closed")
        if not self.registration_deadline:
            return gettext("Registration open")
        left = self.registration_deadline - now
        closes = self.registration_deadline.astimezone(self.zone)
        if left < timedelta(days=1):
            hours = int(left.total_seconds() // 3600)
            if not hours:
                return gettext("Registration closes within the hour")
            return ngettext(
                "Registration closes in %(count)d hour", "Registration closes in %(count)d hours", hours
            ) % {"count": hours}
        if left < timedelta(days=8):
            days = left.days
            return ngettext(
                "Registration closes in %(count)d day", "Registration closes in %(count)d days", days
            ) % {"count": days}
        return gettext("Registration open until %(day)s") % {"day": format_day(closes.date())}

    @property
    def registration_state_now(self):
        return self.registration_state()

    @property
    def schema_org_status(self):
        return self.SCHEMA_ORG_STATUS[self.status]

    @property
    def schema_org_attendance_mode(self):
        return self.SCHEMA_ORG_ATTENDANCE_MODE[self.attendance_mode]
