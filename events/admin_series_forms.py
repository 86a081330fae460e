"""The admin's forms for the dates of a series handled apart from its rule (``OccurrenceChange``).

Dates and times are typed and shown in the event's own timezone, as in ``admin_forms``.
"""

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .admin_forms import WallClockWidget, format_date, from_wall_clock
from .models import OccurrenceChange
from .recurrence import is_series_date, series_rule
from .timefmt import format_moment
from .zones import exclusive_end_date, last_day_before


class DateOptionalTimeWidget(WallClockWidget):
    """A date and a time input, where the time may stay empty."""

    def decompress(self, value):
        if isinstance(value, datetime):
            return [value.date(), value.time()]
        if isinstance(value, date):
            return [value, None]
        return [None, None]


class DateOptionalTimeField(forms.MultiValueField):
    """A date with an optional time, as typed: ``(date, time or None)``; the form decides the rest."""

    widget = DateOptionalTimeWidget

    def __init__(self, **kwargs):
        fields = (forms.DateField(required=False), forms.TimeField(required=False))
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        day, clock = [*(data_list or ()), None, None][:2]
        if day in self.empty_values:
            if clock in self.empty_values:
                return None
            raise ValidationError(_("Enter a date."), code="invalid_date")
        return (day, clock or None)


class StoredRowField(forms.ModelChoiceField):
    """The hidden id of a stored inline row, found among the rows its formset fetched at once.

    Django's own field looks each row up with a query of its own.
    """

    def __init__(self, formset, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.formset = formset

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            row = self.formset._existing_object(self.queryset.model._meta.pk.to_python(value))
        except ValidationError:
            row = None
        if row is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return row


class OccurrenceChangeFormSet(BaseInlineFormSet):
    """The rows of "Dates handled apart from the rule", validated without a query per stored row."""

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if form in self.deleted_forms or not hasattr(form, "cleaned_data"):
                continue
            original, event = form.cleaned_data.get("original_start"), form.cleaned_data.get("event")
            if not isinstance(original, datetime) or event is None or form.has_error("original_start"):
                continue
            if original in seen:
                form.add_error(
                    "original_start",
                    ValidationError(
                        _("%(date)s is handled in another row already: give each date one row."),
                        code="date_in_two_rows",
                        params={"date": OccurrenceChangeAdminForm.describe(event, event.zone, original)},
                    ),
                )
            seen.add(original)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        found = form.fields[self._pk_field.name]
        form.fields[self._pk_field.name] = StoredRowField(
            self, found.queryset, initial=found.initial, required=False, widget=found.widget
        )


class OccurrenceChangeAdminForm(forms.ModelForm):
    """One date of a series handled apart from its rule, typed in the event's own timezone.

    The date names an occurrence of the rule (skip, change) or a new date (add). Its time may stay
    empty: the series' own time is meant, so a row follows when the series' time is edited.
    """

    original_start = DateOptionalTimeField(
        label=_("Date"),
        help_text=_(
            "A date of the series (to skip or change), or the date to add. The time may stay "
            "empty: the series' time. In the event's timezone."
        ),
    )
    start = DateOptionalTimeField(
        required=False,
        label=_("New start"),
        help_text=_("Change only. Empty: unchanged; a date alone keeps the usual time."),
    )
    end = DateOptionalTimeField(
        required=False,
        label=_("New end"),
        help_text=_("Change only. Empty: the usual length after the start. All-day: the last day."),
    )

    class Meta:
        model = OccurrenceChange
        fields = ["kind", "original_start", "start", "end", "title", "status"]
        labels = {"kind": _("What"), "title": _("Own title"), "status": _("Own status")}
        help_texts = {
            "title": _("Change only. Empty: the event's title."),
            "status": _("Change only. “Cancelled” cancels this date; empty: the event's status."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stored_original_start = self.instance.original_start
        if self.instance.pk:
            self.show_stored(self.instance.event)

    def show_stored(self, event):
        """The stored instants as the event's wall clock; the series' own time left empty."""
        zone = event.zone
        local = self.instance.original_start.astimezone(zone)
        series_time = event.local_start.time() if event.start else None
        if event.all_day or local.time() == series_time:
            self.initial["original_start"] = local.date()
        else:
            self.initial["original_start"] = local.replace(tzinfo=None)
        if self.instance.start:
            self.initial["start"] = self.shown(event, self.instance.start)
        if self.instance.end:
            end = self.instance.end.astimezone(zone)
            self.initial["end"] = last_day_before(end.date()) if event.all_day else end.replace(tzinfo=None)

    @staticmethod
    def shown(event, moment):
        local = moment.astimezone(event.zone)
        return local.date() if event.all_day else local.replace(tzinfo=None)

    def has_changed(self):
        # A date typed without its time follows the series' time: a row whose series moved from
        # 10:00 to 11:00 is saved again although nothing in it was retyped.
        if super().has_changed():
            return True
        resolved = getattr(self, "cleaned_data", {}).get("original_start")
        return (
            bool(self.instance.pk)
            and isinstance(resolved, datetime)
            and resolved != self.stored_original_start
        )

    def _get_validation_exclusions(self):
        # A stored row left as it was met its constraints when it was saved; checking them again
        # would cost queries per row. New and edited rows are checked, against the stored ones too.
        exclude = super()._get_validation_exclusions()
        if self.instance.pk and not self.has_changed():
            exclude |= {field.name for field in OccurrenceChange._meta.fields}
        # One row per date is checked by the formset, across all the event's rows, with the date
        # in words (and a row deleted in the same save frees its date).
        exclude.add("original_start")
        return exclude

    def clean(self):
        cleaned_data = super().clean()
        event = cleaned_data.get("event") or getattr(self.instance, "event", None)
        kind = cleaned_data.get("kind")
        if kind != OccurrenceChange.Kind.CHANGE:
            self.refuse_change_fields(kind)
        typed = cleaned_data.get("original_start")
        if event is None or kind is None or typed is None:
            self.drop_typed()
            return cleaned_data
        try:
            zone = event.zone
            rule = series_rule(event)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError, AttributeError):
            # The event form has errors of its own (no start, an unknown timezone, a bad rule), so
            # nothing is saved: the row waits for them to be fixed rather than adding errors.
            self.keep_quiet(typed)
            return cleaned_data
        if rule is None:
            self.add_error(
                "kind",
                _("The event does not repeat: choose a pattern under “Repeats”, or delete this row."),
            )
            self.keep_quiet(typed)
            return cleaned_data
        original = self.resolve_date(event, zone, rule, kind, *typed)
        if original is None:
            self.drop_typed()
            return cleaned_data
        cleaned_data["original_start"] = original
        if kind == OccurrenceChange.Kind.CHANGE:
            self.clean_change(event, zone, original)
        return cleaned_data

    def keep_quiet(self, typed):
        """A stand-in date for a row that cannot be checked and will not be saved: no second error."""
        day, clock = typed
        self.cleaned_data["original_start"] = datetime.combine(day, clock or time(), UTC)
        self.drop_typed()

    def drop_typed(self):
        """Typed (date, time) pairs never reach the model: they are resolved or reported."""
        for name in ("original_start", "start", "end"):
            if isinstance(self.cleaned_data.get(name), tuple):
                del self.cleaned_data[name]

    def refuse_change_fields(self, kind):
        for name in ("start", "end", "title", "status"):
            if self.cleaned_data.get(name) and kind is not None:
                self.add_error(
                    name,
                    _(
                        "Only a changed date has its own times, title or status: clear this, or choose "
                        "“Change”."
                    ),
                )

    def resolve_date(self, event, zone, rule, kind, day, clock):
        """The aware start the row names: a date of the rule (skip, change) or a new date (add)."""
        if event.all_day:
            local, clock = datetime.combine(day, time()), None
            moment = datetime.combine(day, time(), zone)
            on_that_day = [local] if is_series_date(event, moment, rule) else []
        else:
            day_start = datetime.combine(day, time(), zone)
            on_that_day = rule.between(day_start, day_start + timedelta(days=1), inc=True)
            on_that_day = [moment for moment in on_that_day if moment.date() == day]
            if kind == OccurrenceChange.Kind.ADD:
                clock = clock or event.local_start.time()
            moment = None
            if clock is not None:
                try:
                    moment = from_wall_clock(datetime.combine(day, clock), zone)
                except ValidationError as error:
                    self.add_error("original_start", error)
                    return None
        if kind == OccurrenceChange.Kind.ADD:
            if bool(on_that_day) if event.all_day else moment in on_that_day:
                self.add_error(
                    "original_start",
                    ValidationError(
                        _("%(date)s is already a date of the series: there is nothing to add."),
                        code="added_date_in_rule",
                        params={"date": self.describe(event, zone, moment)},
                    ),
                )
                return None
            return moment
        if event.all_day:
            if on_that_day:
                return moment
        elif clock is None and len(on_that_day) == 1:
            return on_that_day[0]
        elif clock is None and on_that_day:
            self.add_error(
                "original_start",
                ValidationError(
                    _("The series happens more than once on %(date)s: give the time too (%(times)s)."),
                    code="ambiguous_date",
                    params={
                        "date": format_date(day),
                        "times": ", ".join(found.strftime("%H:%M") for found in on_that_day),
                    },
                ),
            )
            return None
        elif clock is not None and moment in on_that_day:
            return moment
        self.add_error("original_start", self.not_in_series(event, zone, rule, day, moment))
        return None

    def not_in_series(self, event, zone, rule, day, moment):
        shown = self.describe(event, zone, moment) if moment is not None else format_date(day)
        if event.all_day:
            pivot = datetime.combine(day, time())
        else:
            pivot = moment or datetime.combine(day, time(), zone)
        nearest = [found for found in (rule.before(pivot), rule.after(pivot, inc=True)) if found]
        nearby = gettext(" or ").join(self.describe(event, zone, found) for found in nearest)
        if nearby:
            return ValidationError(
                _("%(date)s is not a date of this series (the nearest: %(nearby)s)."),
                code="not_in_series",
                params={"date": shown, "nearby": nearby},
            )
        return ValidationError(
            _("%(date)s is not a date of this series."), code="not_in_series", params={"date": shown}
        )

    @staticmethod
    def describe(event, zone, moment):
        if event.all_day:
            return format_date(moment.date())
        return format_moment(moment.astimezone(zone))

    def clean_change(self, event, zone, original):
        """New times in the event's zone; a change must change something."""
        data = self.cleaned_data
        duration = (event.end - event.start) if event.start and event.end else timedelta()
        start = self.resolve_moment(event, zone, "start", original)
        end = self.resolve_moment(event, zone, "end", original + duration, is_end=True)
        if self.has_error("start") or self.has_error("end"):
            return
        data["start"], data["end"] = start, end
        if end is not None and end < (start or original):
            self.add_error("end", _("The end must not be before the start."))
            return
        title, status = data.get("title"), data.get("status")
        unchanged = (
            start in (None, original)
            and end in (None, (start or original) + duration)
            and title in ("", event.title)
            and status in ("", event.status)
        )
        if unchanged:
            raise ValidationError(
                _(
                    "Nothing changes on this date: give a new start or end, its own title, or a status "
                    "(“Cancelled” cancels it); or choose “Skip this date”."
                ),
                code="change_without_change",
            )

    def resolve_moment(self, event, zone, name, usual, is_end=False):
        typed = self.cleaned_data.get(name)
        if typed is None:
            return None
        day, clock = typed
        if event.all_day:
            return datetime.combine(exclusive_end_date(day) if is_end else day, time(), zone)
        clock = clock or usual.astimezone(zone).time()
        try:
            return from_wall_clock(datetime.combine(day, clock), zone)
        except ValidationError as error:
            self.add_error(name, error)
            return None
