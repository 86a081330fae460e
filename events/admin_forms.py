"""The admin's event and session forms: times are typed and shown in the event's own timezone.

Django's admin reads and shows datetimes in the server's timezone. An editor entering a Vienna
conference from New York must see and type Vienna wall-clock times, so these forms take naive
wall-clock values and attach the event's timezone (the one chosen in the same form) themselves.
"""

import zoneinfo
from datetime import UTC, datetime, time

from django import forms
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.urls import reverse
from django.utils import dateformat
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from . import recurrence_form
from .models import Document, Event, Session
from .recurrence import build_rule, normalize_rule, validate_rule
from .recurrence_form import RuleChoices, choices_from_rule, rule_from_choices
from .services import EventChangedMeanwhile, event_check_version
from .timefmt import format_moment
from .zones import suggested_timezones, timezone_names


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


def format_date(value):
    """A date as ``format_moment`` writes one, without the time: "Tuesday 4 March 2031"."""
    return dateformat.format(value, "l j F Y")


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
            _("%(time)s does not exist in %(zone)s: the clocks change then. Give another time."),
            code="nonexistent_time",
            params={"time": value.strftime("%Y-%m-%d %H:%M"), "zone": zone.key},
        )
    return aware


class TimezoneSelect(forms.Select):
    """A list of every IANA timezone to pick from, the likely ones first ("Suggested": the venue's
    country's, the event's own, the site's). The admin's own select2 makes it searchable; without
    JavaScript it is a plain list, never a text to type."""

    def __init__(self, attrs=None):
        super().__init__({"class": "timezone-select", **(attrs or {})})
        self.suggested = []

    @property
    def media(self):
        return forms.Media(
            js=[
                "admin/js/vendor/jquery/jquery.js",
                "admin/js/vendor/select2/select2.full.js",
                "admin/js/jquery.init.js",
                "events/admin/timezone_select.js",
            ],
            css={"screen": ["admin/css/vendor/select2/select2.css", "admin/css/autocomplete.css"]},
        )

    def get_context(self, name, value, attrs):
        suggested = list(self.suggested)
        rest = [zone for zone in timezone_names() if zone not in suggested]
        self.choices = [
            ("Suggested", [(zone, zone) for zone in suggested]),
            ("All timezones", [(zone, zone) for zone in rest]),
        ]
        return super().get_context(name, value, attrs)


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
        label=_("Start"), required=False, help_text=_("In the event's timezone. Ignored for all-day events.")
    )
    end = WallClockDateTimeField(
        label=_("End"), required=False, help_text=_("In the event's timezone. Ignored for all-day events.")
    )
    registration_deadline = WallClockDateTimeField(
        label=_("Registration deadline"),
        required=False,
        help_text=_("In the event's timezone; registration closes then."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    # "Repeats": a pattern composed into ``recurrence_rule`` (events.recurrence_form), or the raw rule.
    repeats = forms.ChoiceField(label=_("Repeats"), choices=recurrence_form.REPEATS_CHOICES, required=False)
    interval = forms.IntegerField(
        label=_("Every"),
        min_value=1,
        max_value=999,
        required=False,
        help_text=_("1: every day, week, month or year; 2: every other one; and so on."),
        widget=forms.NumberInput(attrs={"size": 4}),
    )
    weekdays = forms.MultipleChoiceField(
        label=_("On"),
        choices=recurrence_form.WEEKDAY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Weekly: none ticked means the start's weekday."),
    )
    week_of_month = forms.TypedChoiceField(
        label=_("Monthly on the"),
        choices=[("", _("(as the start)")), *recurrence_form.WEEK_OF_MONTH_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    weekday = forms.ChoiceField(
        label=_("weekday"),
        choices=[("", _("(as the start)")), *recurrence_form.WEEKDAY_CHOICES],
        required=False,
        help_text=_(
            "Monthly on a weekday: left as “(as the start)”, taken from the start, e.g. "
            "the second Tuesday for Tuesday 11 March."
        ),
    )
    ends = forms.ChoiceField(
        label=_("Ends"),
        choices=recurrence_form.ENDS_CHOICES,
        initial=recurrence_form.ENDS_NEVER,
        required=False,
    )
    until = forms.DateField(
        label=_("Last date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The series may happen on this date, not after it."),
    )
    count = forms.IntegerField(
        label=_("Number of dates"),
        min_value=1,
        max_value=9999,
        required=False,
        help_text=_("The first date counts."),
    )

    class Meta:
        model = Event
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose what is shown
        formfield_callback = https_formfield
        widgets = {"timezone": TimezoneSelect}
        help_texts = {
            "start_date": _("For all-day events: the first day."),
            "end_date": _("For all-day events: the last day (inclusive)."),
            "recurrence_rule": _(
                "An RFC 5545 RRULE such as FREQ=MONTHLY;BYDAY=1MO,3MO, used when Repeats is "
                "“Custom rule”. It shows the rule of the pattern chosen above once saved."
            ),
        }
        labels = {"recurrence_rule": _("Rule (experts)")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.show_wall_clock(self.instance_zone())
        venue = self.instance.venue if self.instance.venue_id else None
        self.fields["timezone"].widget.suggested = suggested_timezones(
            country=venue.country if venue else "", current=self.instance.timezone
        )
        if self.instance.pk:
            self.initial["version"] = self.instance.sequence
        self.show_recurrence(self.instance.recurrence_rule)

    def show_recurrence(self, rule):
        """The stored rule as pattern choices, or as "Custom rule" when only the expert field says it."""
        choices = choices_from_rule(rule)
        if choices is None:
            self.initial["repeats"] = recurrence_form.CUSTOM
            return
        self.initial.update(
            repeats=choices.repeats,
            interval=choices.interval,
            weekdays=list(choices.weekdays),
            week_of_month=choices.week_of_month,
            weekday=choices.weekday,
            ends=choices.ends,
            until=choices.until,
            count=choices.count,
        )

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
        self.clean_recurrence(zone)
        self.check_version()
        return cleaned_data

    def first_local_start(self, zone):
        """The series' first start as the rule expands it (naive midnight for all-day), or None."""
        if self.cleaned_data.get("all_day"):
            day = self.cleaned_data.get("start_date")
            return datetime.combine(day, time()) if day else None
        start = self.cleaned_data.get("start")
        return start.astimezone(zone) if start else None

    def clean_recurrence(self, zone):
        """Compose ``recurrence_rule`` from the pattern, or take the expert field's rule."""
        data = self.cleaned_data
        repeats = data.get("repeats") or recurrence_form.NEVER
        expert = normalize_rule(data.get("recurrence_rule"))
        first = self.first_local_start(zone)
        if repeats == recurrence_form.CUSTOM:
            if not expert:
                self.add_error(
                    "recurrence_rule", _("Give the rule here, or choose a pattern under “Repeats”.")
                )
            rule, field = expert, "recurrence_rule"
        else:
            rule, field = rule_from_choices(self.pattern_choices(repeats, first)), "repeats"
            if expert not in (rule, normalize_rule(self.initial.get("recurrence_rule"))):
                # The editor typed a rule but left a pattern chosen: say so rather than drop it.
                self.add_error(
                    "recurrence_rule", _("To use this rule, choose “Custom rule” under “Repeats”.")
                )
        data["recurrence_rule"] = rule
        checkable = first is not None and not self.has_error(field) and not self.has_error("recurrence_rule")
        if rule and checkable and not self.series_kept_as_stored(rule, first):
            self.check_rule_starts_with_the_event(rule, first, zone, field)

    def series_kept_as_stored(self, rule, first):
        """Whether the rule and the start are those stored: a series imported out of step with its
        rule is then saved (with a warning) when the editor changes something else."""
        stored = self.instance
        if stored.pk is None or stored.start is None or rule != normalize_rule(stored.recurrence_rule):
            return False
        if bool(self.cleaned_data.get("all_day")) != stored.all_day:
            return False
        if stored.all_day:
            return first == datetime.combine(stored.start_date, time())
        return first == stored.start

    def pattern_choices(self, repeats, first):
        """The pattern fields as ``RuleChoices``; blanks the start decides are filled from it."""
        data = self.cleaned_data
        ends = data.get("ends") or recurrence_form.ENDS_NEVER
        if ends == recurrence_form.ENDS_ON_DATE and not data.get("until") and not self.has_error("until"):
            self.add_error("until", _("Give the last date, or choose another end."))
        if ends == recurrence_form.ENDS_AFTER_COUNT and not data.get("count") and not self.has_error("count"):
            self.add_error("count", _("Give the number of dates, or choose another end."))
        if (
            ends == recurrence_form.ENDS_ON_DATE
            and data.get("until")
            and first
            and data["until"] < first.date()
        ):
            self.add_error(
                "until",
                ValidationError(
                    _("The last date must not be before the first (%(first)s)."),
                    code="until_before_start",
                    params={"first": format_date(first.date())},
                ),
            )
        week, weekday = data.get("week_of_month"), data.get("weekday")
        if repeats == recurrence_form.MONTHLY_WEEKDAY and first is not None:
            week = week or (first.day - 1) // 7 + 1
            weekday = weekday or recurrence_form.WEEKDAYS[first.weekday()]
        return RuleChoices(
            repeats=repeats,
            interval=data.get("interval") or 1,
            weekdays=tuple(data.get("weekdays") or ()),
            week_of_month=week,
            weekday=weekday or "",
            ends=ends,
            until=data.get("until"),
            count=data.get("count"),
        )

    def check_rule_starts_with_the_event(self, rule, first, zone, field):
        """The event's own start must be the rule's first date: calendar apps disagree otherwise
        (RFC 5545 leaves such a series undefined), so the series would not survive an export."""
        try:
            validate_rule(rule)
        except ValidationError:
            return  # the model's validator reports it on the expert field
        all_day = bool(self.cleaned_data.get("all_day"))
        expanded = build_rule(rule, first, all_day=all_day, zone=zone)
        first_date = expanded.after(first, inc=True)
        if first_date == first:
            return
        shown = format_date if all_day else format_moment
        if first_date is None:
            self.add_error(field, _("This rule gives no date on or after the event's start."))
            return
        self.add_error(
            field,
            ValidationError(
                _(
                    "The event starts on %(start)s, which is not a date of this rule: its first date would "
                    "be %(first)s. Start the event on a date of the rule, or change the rule."
                ),
                code="start_not_in_rule",
                params={
                    "start": shown(first.date() if all_day else first),
                    "first": shown(first_date.date() if all_day else first_date.replace(tzinfo=zone)),
                },
            ),
        )

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
            try:
                field = Event._meta.get_field(name)
            except FieldDoesNotExist:  # the "Repeats" pattern fields: the rule itself is compared
                continue
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

    start = WallClockDateTimeField(required=False, help_text=_("In the event's timezone."))
    end = WallClockDateTimeField(required=False, help_text=_("In the event's timezone."))

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
