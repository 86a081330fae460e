"""The pages the benchmark measures: a name and the candidate URLs of each, built from the data.

Each entry maps a page name to a function returning candidate URLs (tried in order; the first
that answers 200 is measured). A page none of whose candidates answers 200 is skipped, and the run
says so.
"""

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import translation

from events.models import Category, Event

CONFERENCE_SLUG = "21st-conference-alliance-against-trafficking-in-persons"
SEARCH_WORDS = "labour inspection"


def busiest_category():
    return Category.objects.annotate(events_count=Count("events")).order_by("-events_count", "pk").first()


def busiest_month():
    """(year, month) holding the most published events (by first day)."""
    row = (
        Event.objects.published()
        .annotate(month=TruncMonth("start_date"))
        .values("month")
        .annotate(events_count=Count("pk"))
        .order_by("-events_count", "month")
        .first()
    )
    return row["month"].year, row["month"].month


def event_page():
    """A published upcoming event with a programme: the heaviest kind of event page."""
    event = (
        Event.objects.published().upcoming().filter(sessions__isnull=False, documents__isnull=False).first()
        or Event.objects.published().first()
    )
    return [event.get_absolute_url()]


def month_calendar():
    """The month page of the calendar for the busiest month."""
    year, month = busiest_month()
    return [reverse("events:calendar_month", kwargs={"year": year, "month": month})]


def search_page():
    """The search page with a query matching many events."""
    return [f"{reverse('search')}?q={SEARCH_WORDS.replace(' ', '+')}"]


def subscription_ics():
    """The subscription feed: every published event in the feed window (the benchmark raises
    ICS_FEED_MAX_EVENTS so that the cap does not cut it)."""
    return [reverse("events:calendar_ics")]


def whole_calendar_ics():
    """Every published event, past ones too, as one .ics: the feed from the earliest event's date."""
    first = Event.objects.published().order_by("start_date").values_list("start_date", flat=True).first()
    return [f"{reverse('events:calendar_ics')}?from={first.isoformat()}"]


PAGES = {
    "home": lambda: [reverse("home")],
    "event list": lambda: [reverse("events:list")],
    "month calendar": month_calendar,
    "event page": event_page,
    "filtered list": lambda: [f"{reverse('events:list')}?category={busiest_category().slug}"],
    "category page": lambda: [busiest_category().get_absolute_url()],
    "search": search_page,
    "conference .ics": lambda: [reverse("events:detail_ics", kwargs={"slug": CONFERENCE_SLUG})],
    "calendar .ics": subscription_ics,
    "whole calendar .ics": whole_calendar_ics,
}


def pages_in_languages(languages):
    """(name, candidate URLs) of every page in each of ``languages``: a page in a language other than
    the site's default is named with it ("event page [de]")."""
    for language in languages:
        for name, candidates in PAGES.items():
            with translation.override(language):
                urls = [url for url in candidates() if url]
            yield (name if language == settings.LANGUAGE_CODE else f"{name} [{language}]"), urls
