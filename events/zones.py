"""Timezone and country reference data, read from the ``tzdata`` package (no hand-kept lists)."""

import zoneinfo
from datetime import time, timedelta
from functools import cache
from importlib import resources

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class LocalTimes:
    """``local_start``/``local_end``: an item's instants in its own ``zone``."""

    @property
    def local_start(self):
        return self.start.astimezone(self.zone)

    @property
    def local_end(self):
        return self.end.astimezone(self.zone)


def exclusive_end_date(last_day):
    """The exclusive end of an all-day span whose last day (inclusive, as stored and typed) is
    ``last_day``: the day after it, as calendar files and links write it."""
    return last_day + timedelta(days=1)


def last_day_before(exclusive_end):
    """The last day (inclusive) of an all-day span that ends (exclusively) at ``exclusive_end``."""
    return exclusive_end - timedelta(days=1)


def days_covered(start, end, zone):
    """First and last date (inclusive) that the instants ``start``–``end`` touch in ``zone``.

    A span that ends exactly at midnight does not occupy the day that midnight starts.
    """
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    last = local_end.date()
    if local_end.time() == time() and end > start:
        last -= timedelta(days=1)
    return local_start.date(), max(local_start.date(), last)


@cache
def timezone_names():
    """All IANA timezone names this machine's tz database knows, sorted."""
    return sorted(zoneinfo.available_timezones())


@cache
def _timezone_name_set():
    return frozenset(timezone_names())


def is_timezone_name(name):
    """Whether ``name`` is an IANA timezone name (``zoneinfo.available_timezones()`` walks the tz
    database's files at every call, some 12 ms: this reads it once)."""
    return name in _timezone_name_set()


def validate_timezone(value):
    """Reject a string that is not an IANA timezone name, with a message for the editor."""
    if not is_timezone_name(value):
        raise ValidationError(
            _("“%(value)s” is not a known timezone. Use an IANA name such as Europe/Vienna."),
            code="unknown_timezone",
            params={"value": value},
        )


def _tab_rows(name):
    text = resources.files("tzdata.zoneinfo").joinpath(name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


@cache
def country_choices():
    """(ISO 3166-1 alpha-2 code, English name) pairs, sorted by name."""
    return sorted(((row[0], row[1]) for row in _tab_rows("iso3166.tab")), key=lambda pair: pair[1])


@cache
def country_names():
    """{ISO code: English name}: a dict lookup, where ``get_country_display()`` would flatten the
    250 choices again on every call (half the rendering time of an event list)."""
    return dict(country_choices())


@cache
def timezones_of_country(code):
    """The timezones used in a country (ISO code), as the tz database lists them, or ()."""
    return tuple(row[2] for row in _tab_rows("zone1970.tab") if code and code in row[0].split(","))


def suggested_timezones(*, country="", current=""):
    """The zones an editor most likely wants, first: the venue country's, the event's own and the
    site's, without repeats."""
    suggested = [*timezones_of_country(country), current, settings.TIME_ZONE]
    return list(dict.fromkeys(name for name in suggested if name and is_timezone_name(name)))


@cache
def countries_of_timezone(name):
    """The ISO country codes whose territory uses the timezone ``name`` (empty for e.g. UTC)."""
    return frozenset(
        code for row in _tab_rows("zone1970.tab") if row[2] == name for code in row[0].split(",")
    )
