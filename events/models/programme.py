"""An event's programme: its sessions, its documents, and the dates of a series handled apart from
its rule."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from events_site.rich_text import RICH_TEXT_HELP, RichTextField
from events_site.safe_urls import SafeUrls

from .. import changes, recurrence
from ..timefmt import when
from ..uploads import validate_document_file
from .constraints import CheckConstraint
from .event import Event
from .schedule import Scheduled, new_ical_uid


class OccurrenceChange(models.Model):
    """One date of a recurring event handled apart from its rule: skipped, added, or changed."""

    Kind = recurrence.ChangeKind

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="occurrence_changes", verbose_name=_("event")
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, verbose_name=_("kind"))
    original_start = models.DateTimeField(
        help_text=_("The occurrence's start as the rule gives it (for an added date: its start)."),
        verbose_name=_("original start"),
    )
    start = models.DateTimeField(
        null=True, blank=True, help_text=_("New start (changed occurrences)."), verbose_name=_("start")
    )
    end = models.DateTimeField(
        null=True, blank=True, help_text=_("New end (changed occurrences)."), verbose_name=_("end")
    )
    title = models.CharField(
        max_length=300, blank=True, help_text=_("Empty: the event's title."), verbose_name=_("title")
    )
    status = models.CharField(
        max_length=20,
        choices=Event.Status.choices,
        blank=True,
        help_text=_("Empty: the event's status."),
        verbose_name=_("status"),
    )
    objects = changes.RecordingQuerySet.as_manager()

    class Meta:
        ordering = ["original_start"]
        verbose_name = _("occurrence change")
        verbose_name_plural = _("occurrence changes")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "original_start"], name="events_occurrencechange_one_per_date"
            ),
            CheckConstraint(
                name="events_occurrencechange_end_not_before_start",
                condition=models.Q(end__isnull=True)
                | models.Q(start__isnull=True)
                | models.Q(end__gte=models.F("start")),
            ),
        ]

    def __str__(self):
        # In the event's own timezone, as editors type it (the admin's row headings and history).
        try:
            moment = self.original_start.astimezone(self.event.zone)
        except (Event.DoesNotExist, AttributeError):
            moment = self.original_start
        if moment is None:
            return self.get_kind_display()
        return f"{self.get_kind_display()}: {moment:%Y-%m-%d %H:%M} {moment.tzname()}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.event.write_series_end()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self.event.write_series_end()
        return result

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": "The end must not be before the start."}, code="end_before_start")
        if self.kind != self.Kind.CHANGE and (self.start or self.end or self.title or self.status):
            raise ValidationError(
                _("Only a changed occurrence has its own times, title or status."), code="not_a_change"
            )


class Session(Scheduled):
    """A timed (or all-day) part of an event's programme."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("event")
    )
    title = models.CharField(max_length=300, verbose_name=_("title"))
    location = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("Room, or “online”; empty means the event's venue."),
        verbose_name=_("location"),
    )
    description = RichTextField(blank=True, help_text=RICH_TEXT_HELP, verbose_name=_("description"))
    ical_uid = models.CharField(
        _("iCalendar UID"), max_length=255, unique=True, default=new_ical_uid, editable=False
    )
    objects = changes.RecordingQuerySet.as_manager()

    class Meta(Scheduled.Meta):
        ordering = ["start", "pk"]
        verbose_name = pgettext_lazy("programme", "session")
        verbose_name_plural = pgettext_lazy("programme", "sessions")
        indexes = [models.Index(fields=["event", "start"], name="events_session_event_start_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{self.event.get_absolute_url()}#session-{self.pk}"

    def clean(self):
        super().clean()
        self.clean_within_event()

    def clean_within_event(self):
        """A session lies within its event's dates; the error names the event's range."""
        try:
            event = self.event
        except Event.DoesNotExist:
            return
        # All-day sessions compare calendar dates, timed ones instants (an all-day event's are midnights).
        start_field, end_field = ("start_date", "end_date") if self.all_day else ("start", "end")
        bounds = (getattr(event, start_field), getattr(event, end_field))
        values = (getattr(self, start_field), getattr(self, end_field))
        if None in bounds or None in values:
            return
        if values[0] < bounds[0]:
            field = start_field
        elif values[1] > bounds[1]:
            field = end_field
        else:
            return
        raise ValidationError(
            {
                field: ValidationError(
                    _("The session must lie within the event's dates (%(event_range)s)."),
                    code="session_outside_event",
                    params={"event_range": str(when(event))},
                )
            }
        )

    @property
    def zone(self):
        return self.event.zone

    @property
    def location_display(self):
        return self.location or self.event.location_display


def document_upload_to(instance, filename):
    """documents/<event slug>/<safe file name>: no paths, spaces or odd characters from the editor's disk."""
    return f"documents/{instance.event.slug}/{get_valid_filename(filename)}"


class Document(SafeUrls, models.Model):
    """A download that belongs to an event: an uploaded file or a link ("Preliminary Agenda")."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="documents", verbose_name=_("event")
    )
    title = models.CharField(max_length=200, verbose_name=_("title"))
    file = models.FileField(
        upload_to=document_upload_to,
        blank=True,
        validators=[validate_document_file],
        help_text=_("PDF, Office or OpenDocument file, or an image."),
        verbose_name=_("file"),
    )
    url = models.URLField(_("external URL"), blank=True)
    position = models.PositiveSmallIntegerField(
        default=0, help_text=_("Order on the event page."), verbose_name=_("position")
    )
    objects = changes.RecordingQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            CheckConstraint(
                name="events_document_not_both_file_and_url",
                condition=models.Q(file="") | models.Q(url=""),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.file and self.url:
            raise ValidationError({"url": "Upload a file or give a URL, not both."}, code="file_and_url")

    @property
    def href(self):
        """Where the download link points; empty when the source gave no link."""
        if self.file:
            return self.file.url
        return self.url
