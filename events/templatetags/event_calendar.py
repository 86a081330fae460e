"""Template tags for "add to calendar" links (see ``events.calendar_files.links``)."""

from django import template

from events.calendar_files import links
from events.calendar_files.links import Appointment

register = template.Library()


def _base_url(context):
    return context["request"].build_absolute_uri("/").rstrip("/")


def _links(appointment):
    return {
        "google": links.google_url(appointment),
        "outlook_live": links.outlook_url(appointment, account="live"),
        "outlook_office": links.outlook_url(appointment, account="office"),
    }


@register.simple_tag(takes_context=True)
def event_calendar_links(context, event):
    """Google and Outlook links for an event: {"google", "outlook_live", "outlook_office"}."""
    return _links(Appointment.for_event(event, base_url=_base_url(context)))


@register.simple_tag(takes_context=True)
def session_calendar_links(context, session, event):
    """Google and Outlook links for one session of ``event``."""
    return _links(Appointment.for_session(session, event, base_url=_base_url(context)))


@register.simple_tag(takes_context=True)
def deadline_calendar_links(context, event):
    """Google and Outlook links for an event's registration deadline (empty without one)."""
    if not event.registration_deadline:
        return {}
    return _links(Appointment.for_registration_deadline(event, base_url=_base_url(context)))
