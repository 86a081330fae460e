"""Filters for event lists, calendars and calendar files, read from the query string.

One form serves every view that lists events (list, calendar, search, feeds, .ics), so a filtered
view can be shared by its URL and the same URL parameters give the same events everywhere.
Unknown values never raise: they give an empty result and a message saying what was not found.
"""

from datetime import date
from functools import cached_property

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import recurrence
from .models import Category, Event, Organizer, Tag, Venue

# Query-string parameters, in the order they are shown as active filters.
FILTER_PARAMETERS = ("q", "category", "tag", "venue", "city", "organizer", "mode", "from", "to")


class EventFilterForm(forms.Form):
    """The filters a visitor can combine; every field is optional."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200, strip=True)
    category = forms.SlugField(label=_("Category"), required=False)
    tag = forms.SlugField(label=_("Tag"), required=False)
    venue = forms.SlugField(label=_("Venue"), required=False)
    city = forms.CharField(label=_("City"), required=False, max_length=100, strip=True)
    organizer = forms.SlugField(label=_("Organizer"), required=False)
    mode = forms.ChoiceField(
        label=_("Attendance"), required=False, choices=[("", _("Any")), *Event.AttendanceMode.choices]
    )
    # Dates far outside this range overflow when turned into instants (year 1, year 9999), so they
    # are refused like any other bad value rather than reaching the database.
    DATE_RANGE = [MinValueValidator(date(1900, 1, 1)), MaxValueValidator(date(2999, 12, 31))]
    from_date = forms.DateField(label=_("From"), required=False, validators=DATE_RANGE)
    to_date = forms.DateField(label=_("To"), required=False, validators=DATE_RANGE)

    # "from" and "to" are Python keywords, so the fields are renamed in the query string.
    FIELD_FOR_PARAMETER = {"from": "from_date", "to": "to_date"}

    TERM_MODELS = {"category": Category, "tag": Tag, "venue": Venue, "organizer": Organizer}

    def __init__(self, query=None, **kwargs):
        query = query if query is not None else QueryDict()
        data = {
            self.FIELD_FOR_PARAMETER.get(name, name): query.get(name, "")
            for name in FILTER_PARAMETERS
            if name in query
        }
        super().__init__(data, **kwargs)
        self.query = query
        self.messages = []
        self.terms = {}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from_date"), cleaned.get("to_date")
        if start and end and end < start:
            self.add_error("to_date", _("“To” must not be before “From”."))
        return cleaned

    def _resolve_terms(self):
        """Look up the named category, tag, venue and organizer; note the ones that do not exist."""
        slugs = {name: self.cleaned_data.get(name) for name in self.TERM_MODELS}
        for name, slug in slugs.items():
            if not slug:
                continue
            term = self.TERM_MODELS[name].objects.filter(slug=slug).first()
            if term is None:
                self.messages.append(
                    _("No %(kind)s “%(slug)s” exists, so no events match.")
                    % {"kind": self.fields[name].label.lower(), "slug": slug}
                )
            self.terms[name] = term

    def filter(self, queryset, *, search=True):
        """``queryset`` narrowed by every valid filter; empty when a named term does not exist.
        ``search=False`` leaves out the words (for ``EventQuerySet.best_matches``, which matches
        them itself)."""
        if not self.is_valid():
            for field, errors in self.errors.items():
                label = self.fields[field].label or field if field in self.fields else _("Filter")
                self.messages.append(
                    _("%(label)s: %(errors)s This filter was ignored.")
                    % {"label": label, "errors": " ".join(errors)}
                )
            data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        else:
            data = self.cleaned_data
        self._resolve_terms()
        if any(term is None for term in self.terms.values()):
            return queryset.none()
        if category := self.terms.get("category"):
            queryset = queryset.in_category(category)
        if tag := self.terms.get("tag"):
            queryset = queryset.tagged(tag)
        if venue := self.terms.get("venue"):
            queryset = queryset.filter(venue=venue)
        if organizer := self.terms.get("organizer"):
            queryset = queryset.filter(organizer=organizer)
        if city := data.get("city"):
            queryset = queryset.filter(venue__city__iexact=city)
        if mode := data.get("mode"):
            queryset = queryset.filter(attendance_mode=mode)
        if data.get("from_date") or data.get("to_date"):
            queryset = queryset.overlapping_dates(data.get("from_date"), data.get("to_date"))
        if search and (q := data.get("q")):
            queryset = queryset.search(q)
        return queryset

    def chosen_dates(self):
        """The visitor's valid "from" and "to" dates (either None); call after ``filter()``."""
        chosen = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        return chosen.get("from_date"), chosen.get("to_date")

    def bounds(self):
        """The first and last instant the visitor's "from" and "to" dates allow (either None), in
        the site's timezone; call after ``filter()``."""
        zone = timezone.get_current_timezone()
        first, last = self.chosen_dates()
        return (
            recurrence.day_window(first, first, zone)[0] if first else None,
            recurrence.day_window(last, last, zone)[1] if last else None,
        )

    @property
    def active(self):
        """[(parameter, label, value, query string without it), ...] for "clear this filter" links."""
        shown = []
        for name in FILTER_PARAMETERS:
            value = self.query.get(name, "")
            if not value:
                continue
            field = self.fields[self.FIELD_FOR_PARAMETER.get(name, name)]
            term = self.terms.get(name)
            remaining = self.query.copy()
            remaining.pop(name)
            remaining.pop("page", None)
            shown.append(
                (name, field.label or name.title(), str(term) if term else value, remaining.urlencode())
            )
        return shown

    @cached_property
    def query_string(self):
        """The active filters as a query string (no page number), for links that keep them.

        Kept once worked out: a month grid passes it to each of its 42 cells."""
        kept = QueryDict(mutable=True)
        for name in FILTER_PARAMETERS:
            if self.query.get(name):
                kept[name] = self.query[name]
        return kept.urlencode()

    @property
    def kept(self):
        """[(parameter, value), ...] of the active filters, for a form's hidden fields."""
        return list(QueryDict(self.query_string).items())

    def query_string_for(self, first=None, last=None):
        """The active filters with "from" and "to" narrowed to the days a page shows (either may be
        None: no bound), for the page's "Download .ics" and "Subscribe" links: the file then holds
        the events the page shows, not the subscription window's."""
        own_first, own_last = self.chosen_dates()
        if own_first and first:
            first = max(first, own_first)
        if own_last and last:
            last = min(last, own_last)
        first, last = first or own_first, last or own_last
        kept = QueryDict(self.query_string, mutable=True)
        for name, day in (("from", first), ("to", last)):
            kept.pop(name, None)
            if day:
                kept[name] = day.isoformat()
        return kept.urlencode()


def filter_options():
    """What the filter form's menus offer: every category, tag, venue, city, organizer and mode.

    Four queries whatever the number of rows (cities come with the venues).
    """
    venues = list(Venue.objects.order_by("name").values_list("slug", "name", "city"))
    return {
        "category": list(Category.objects.values_list("slug", "name")),
        "tag": list(Tag.objects.values_list("slug", "name")),
        "venue": [(slug, f"{name}, {city}" if city else name) for slug, name, city in venues],
        "city": sorted({city for _, _, city in venues if city}),
        "organizer": list(Organizer.objects.values_list("slug", "name")),
        "mode": Event.AttendanceMode.choices,
    }
