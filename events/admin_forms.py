"""The admin's event and session forms: times are typed and shown in the event's own timezone.

Django's admin reads and shows datetimes in the server's timezone. An editor entering a Vienna
conference from New York must see and type Vienna wall-clock times, so these forms take naive
wall-clock values and attach the event's timezone (the one chosen in the same form) themselves.
"""

import zoneinfo
from datetime import UTC, datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from .models import Document, Event, Session
from .services import EventChangedMeanwhile, event_check_version
from .timefmt import format_moment
from .zones import timezone_names


def https_formfield(db_field, **kwargs):
    """Model form fields as usual, except that a URL typed without a scheme gets https (as in Django 6)."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class WallClockWidget(forms.SplitDateTimeWidget):
    """The browser's own date and time inputs.

    Not the admin's calendar and clock: their "Now" button and their "You are N hours behind server
    time" note are about the server's timezone, which these times are not in.
    """

    def __init__(self, attrs=None):
        super().__init__(
            attrs,
            date_format="%Y-%m-%d",
            time_format="%H:%M",
            date_attrs={"type": "date"},
            time_attrs={"type": "time"},
        )


class WallClockDateTimeField(forms.SplitDateTimeField):
    """A date and a time as typed, without a timezone: the form attaches the event's."""

    widget = WallClockWidget

    def compress(self, data_list):
        if not data_list:
            return None
        day, clock = data_list
        if day in self.empty_values:
            raise ValidationError(self.error_messages["invalid_date"], code="invalid_date")
        if clock in self.empty_values:
            raise ValidationError(self.error_messages["invalid_time"], code="invalid_time")
        return datetime.combine(day, clock)


def to_wall_clock(value, zone):
    """An aware instant as the naive wall-clock time it reads in ``zone``."""
    return value.astimezone(zone).replace(tzinfo=None) if value else value


def from_wall_clock(value, zone):
    """A naive wall-clock time in ``zone`` as an aware instant; refuses times a clock change skips.

    A time that occurs twice (the hour the clocks go back) is read as its first occurrence.
    """
    aware = value.replace(tzinfo=zone)
    if to_wall_clock(aware.astimezone(UTC), zone) != value:
        raise ValidationError(
            "%(time)s does not exist in %(zone)s: the clocks change then. Give another time.",
            code="nonexistent_time",
            params={"time": value.strftime("%Y-%m-%d %H:%M"), "zone": zone.key},
        )
    return aware


class DatalistInput(forms.TextInput):
    """A text input with a ``<datalist>`` of suggestions: browsers filter it as the editor types."""

    def __init__(self, options, list_id, attrs=None):
        super().__init__({"list": list_id, "autocomplete": "off", **(attrs or {})})
        self.options, self.list_id = options, list_id

    def render(self, name, value, attrs=None, renderer=None):
        suggestions = format_html_join("", '<option value="{}">', ((option,) for option in self.options()))
        datalist = format_html('<datalist id="{}">{}</datalist>', self.list_id, suggestions)
        return super().render(name, value, attrs, renderer) + datalist


class WallClockFormMixin:
    """Shows the instance's instants in a zone and turns the typed wall-clock times back into instants."""

    wall_clock_fields = ()

    def show_wall_clock(self, zone):
        for name in self.wall_clock_fields:
            value = getattr(self.instance, name, None)
            if value is not None:
                self.initial[name] = to_wall_clock(value, zone)

    def attach_zone(self, zone):
        for name in self.wall_clock_fields:
            value = self.cleaned_data.get(name)
            if value is None:
                continue
            try:
                self.cleaned_data[name] = from_wall_clock(value, zone)
            except ValidationError as error:
                self.add_error(name, error)

    def _update_errors(self, errors):
        # A time the form refused is missing on the instance too; the model's "required" would repeat it.
        for name, field_errors in list(getattr(errors, "error_dict", {}).items()):
            if name in self._errors:
                errors.error_dict[name] = [error for error in field_errors if error.code != "required"]
                if not errors.error_dict[name]:
                    del errors.error_dict[name]
        super()._update_errors(errors)

    def drop_unused_schedule(self):
        """All-day items use their dates, timed ones their times; the other pair is derived, not half-used."""
        unused = ("start", "end") if self.cleaned_data.get("all_day") else ("start_date", "end_date")
        for name in unused:
            if name in self.cleaned_data:
                self.cleaned_data[name] = None


class EventAdminForm(WallClockFormMixin, forms.ModelForm):
    """The event form: wall-clock times in the event's timezone, and a version against lost updates."""

    wall_clock_fields = ("start", "end", "registration_deadline")

    start = WallClockDateTimeField(
        required=False, help_text="In the event's timezone. Ignored for all-day events."
    )
    end = WallClockDateTimeField(
        required=False, help_text="In the event's timezone. Ignored for all-day events."
    )
    registration_deadline = WallClockDateTimeField(
        required=False, help_text="In the event's timezone; registration closes then."
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Event
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose what is shown
        formfield_callback = https_formfield
        widgets = {"timezone": DatalistInput(timezone_names, "timezone-names", attrs={"size": 30})}
        help_texts = {
            "start_date": "For all-day events: the first day.",
            "end_date": "For all-day events: the last day (inclusive).",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.show_wall_clock(self.instance_zone())
        if self.instance.pk:
            self.initial["version"] = self.instance.sequence

    def instance_zone(self):
        try:
            return zoneinfo.ZoneInfo(self.instance.timezone or settings.TIME_ZONE)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo(settings.TIME_ZONE)

    def clean(self):
        cleaned_data = super().clean()
        # An unknown timezone gets its own error (the model's validator); meanwhile the times are read
        # in the event's previous zone.
        try:
            zone = zoneinfo.ZoneInfo(cleaned_data["timezone"])
        except (KeyError, zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = self.instance_zone()
        self.drop_unused_schedule()
        self.attach_zone(zone)
        self.check_version()
        return cleaned_data

    def check_version(self):
        if not self.instance.pk:
            return
        try:
            event_check_version(event=self.instance, expected_sequence=self.cleaned_data.get("version"))
        except EventChangedMeanwhile:
            self.refuse_stale_save(Event.objects.get(pk=self.instance.pk))

    def refuse_stale_save(self, stored):
        # The form comes back with the editor's input and the stored version number, so that saving
        # again, after looking at the other change, is a deliberate choice to keep this version.
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = stored.sequence
        history = reverse("admin:events_event_history", args=[stored.pk])
        current = reverse("admin:events_event_change", args=[stored.pk])
        differences = self.differences_from(stored)
        message = format_html(
            "Another editor saved this event while you were editing it, so your changes were not saved. "
            "They are still in the form below. See what changed in the "
            '<a href="{}" target="_blank" rel="noopener">history</a> or open the '
            '<a href="{}" target="_blank" rel="noopener">current version</a> in a new tab; then '
            "save again to replace it with yours.",
            history,
            current,
        )
        if differences:
            message += format_html(
                " Stored now, different from your form: {}.",
                format_html_join("; ", "{} “{}”", differences),
            )
        raise ValidationError(message, code="changed_meanwhile")

    def differences_from(self, stored):
        """(label, stored value) of each field where the stored event differs from the submitted form."""
        derived = ("start", "end") if self.cleaned_data.get("all_day") else ("start_date", "end_date")
        differences = []
        for name, submitted in self.cleaned_data.items():
            if name in derived or name not in self.fields or name == "version":
                continue
            field = Event._meta.get_field(name)
            value = getattr(stored, name)
            if field.many_to_many:
                value, submitted = set(value.all()), set(submitted or ())
                shown = ", ".join(sorted(str(item) for item in value)) or "none"
            elif isinstance(value, datetime):
                shown = format_moment(value.astimezone(stored.zone))
            elif field.choices:
                shown = getattr(stored, f"get_{name}_display")()
            elif isinstance(value, bool):
                shown = "yes" if value else "no"
            else:
                shown = "empty" if value in (None, "") else str(value)
            if value != submitted and not (value in (None, "") and submitted in (None, "")):
                differences.append((field.verbose_name.capitalize(), shown))
        return differences


class SessionAdminForm(WallClockFormMixin, forms.ModelForm):
    """A session of an event: times in its event's timezone."""

    wall_clock_fields = ("start", "end")

    start = WallClockDateTimeField(required=False, help_text="In the event's timezone.")
    end = WallClockDateTimeField(required=False, help_text="In the event's timezone.")

    class Meta:
        model = Session
        fields = ["title", "all_day", "start", "end", "start_date", "end_date", "location", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone = self.event_zone()
        if zone:
            self.show_wall_clock(zone)

    def event_zone(self):
        """The zone of the session's event: the inline's parent (once cleaned) or the saved event."""
        event = getattr(self, "cleaned_data", {}).get("event")
        try:
            return (event or self.instance.event).zone
        except Event.DoesNotExist:
            return None
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo(settings.TIME_ZONE)

    def clean(self):
        cleaned_data = super().clean()
        # The event form is validated first, so its (possibly new) timezone is on the event already.
        self.drop_unused_schedule()
        self.attach_zone(self.event_zone() or zoneinfo.ZoneInfo(settings.TIME_ZONE))
        return cleaned_data


class DocumentAdminForm(forms.ModelForm):
    """A document of an event: an upload (checked by the model's validator) or a link."""

    class Meta:
        model = Document
        fields = ["title", "file", "url", "position"]
        formfield_callback = https_formfield
