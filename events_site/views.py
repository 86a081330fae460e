"""Site-wide pages that belong to no single app."""

from django.views.generic import TemplateView

from articles.models import Article
from events.models import Event

HOME_EVENTS = 5
HOME_ARTICLES = 5


class HomeView(TemplateView):
    """Upcoming events and the latest articles, as the original site's front page."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            upcoming_events=Event.objects.published().upcoming().for_listing()[:HOME_EVENTS],
            articles=Article.objects.published().for_listing()[:HOME_ARTICLES],
            **kwargs,
        )
