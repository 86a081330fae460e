"""Site-wide pages that belong to no single app."""

from django.views.generic import TemplateView

from articles.models import Article
from events.filters import EventFilterForm
from events.models import Event

HOME_EVENTS = 5
HOME_ARTICLES = 5


class HomeView(TemplateView):
    """Upcoming events and the latest articles, as the original site's front page."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            # The first events of the upcoming list: a series by its next dates, not its first.
            upcoming_events=Event.objects.published().for_listing().upcoming_listing()[:HOME_EVENTS],
            articles=Article.objects.published().for_listing()[:HOME_ARTICLES],
            **kwargs,
        )


# Results per section of the search page; the events lists (with the same words) page through more.
SEARCH_RESULTS = 20


class SearchView(TemplateView):
    """Site search: events (with the calendar's filters) and articles matching the words of ``q``."""

    template_name = "search.html"

    def get_context_data(self, **kwargs):
        form = EventFilterForm(self.request.GET)
        events = form.filter(Event.objects.published().for_listing(), search=False)
        form.is_valid()  # the words count even beside an invalid filter (ignored, saying so)
        words = form.cleaned_data.get("q", "")
        searched = bool(form.active)
        # One row more than shown tells whether there are more, without counting every match.
        found_events, found_articles = [], []
        if words:
            found_events = events.best_matches(words, SEARCH_RESULTS + 1)
            found_articles = list(
                Article.objects.published().for_listing().best_matches(words)[: SEARCH_RESULTS + 1]
            )
        elif searched:  # filters alone: the latest events
            found_events = list(events.order_by("-start", "-pk")[: SEARCH_RESULTS + 1])
        return super().get_context_data(
            ranked=bool(words),
            filter_form=form,
            file_query=form.query_string,
            searched=searched,
            events=found_events[:SEARCH_RESULTS],
            more_events=len(found_events) > SEARCH_RESULTS,
            articles=found_articles[:SEARCH_RESULTS],
            more_articles=len(found_articles) > SEARCH_RESULTS,
            **kwargs,
        )


class RobotsView(TemplateView):
    """robots.txt: everything public may be crawled; the admin is not; where the sitemap is."""

    template_name = "robots.txt"
    content_type = "text/plain; charset=utf-8"
