"""Template tags that render every date and time as ``<time datetime=...>`` (see ``events.timefmt``)."""

import zoneinfo

from django import template
from django.utils import timezone
from django.utils.html import format_html

from events import timefmt
from events.calendar import offset_changes_on

register = template.Library()


@register.inclusion_tag("events/includes/when.html")
def when(item, zone=None):
    """An event's or session's range; ``zone`` (a name, or "site") shows timed items in another zone."""
    if zone == "site":
        zone = timezone.get_current_timezone()
    elif isinstance(zone, str):
        zone = zoneinfo.ZoneInfo(zone)
    return {"when": timefmt.when(item, zone)}


@register.simple_tag
def moment(value, zone=None):
    """An instant with weekday and zone: "Thursday 10 June 2021, 17:00 CEST"."""
    if value is None:
        return ""
    local = value.astimezone(zoneinfo.ZoneInfo(zone) if zone else timezone.get_current_timezone())
    return format_html(
        '<time datetime="{}" data-format="moment">{}</time>', local.isoformat(), timefmt.format_moment(local)
    )


@register.simple_tag
def day(value, zone=None):
    """A calendar date ("June 14, 2021"); an instant is read in ``zone`` or the site's timezone."""
    if value is None:
        return ""
    if hasattr(value, "astimezone"):
        value = value.astimezone(zoneinfo.ZoneInfo(zone) if zone else timezone.get_current_timezone())
        value = value.date()
    return format_html('<time datetime="{}">{}</time>', value.isoformat(), timefmt.format_day(value))


@register.simple_tag
def weekday(value):
    """A calendar date with its weekday ("Monday, June 14, 2021"), as a day heading."""
    return format_html('<time datetime="{}">{}</time>', value.isoformat(), timefmt.format_weekday_day(value))


@register.simple_tag
def day_of_month(value):
    """A month grid cell's date: the day number, with the full date for screen readers."""
    return format_html(
        '<time datetime="{}"><span aria-hidden="true">{}</span>'
        '<span class="visually-hidden">{}</span></time>',
        value.isoformat(),
        value.day,
        timefmt.format_weekday_day(value),
    )


@register.simple_tag
def month(value):
    """A month ("June 2021")."""
    return format_html('<time datetime="{}">{}</time>', value.strftime("%Y-%m"), timefmt.format_month(value))


@register.simple_tag
def clock(value):
    """The time of day of an instant already read in the calendar's zone ("2:00 pm"), for grid cells.

    The grid's caption names the zone; a cell names it only on a day its clocks change, where it
    keeps the night readable: "2:30 am CEST", then "2:30 am CET".

    Marked ``data-tz="fixed"``: the grid places items on the site's days, so "show in my timezone"
    leaves these alone (a converted time could belong to another cell).
    """
    if offset_changes_on(value.date(), value.tzinfo):
        shown = f"{timefmt.format_clock(value)} {value.tzname()}"
    else:
        shown = timefmt.format_clock(value)
    return format_html('<time datetime="{}" data-tz="fixed">{}</time>', value.isoformat(), shown)
