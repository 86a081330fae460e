from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from articles.sitemaps import ArticleSitemap
from events.calendar_files.admin_import import import_ics_view, import_progress_view
from events.sitemaps import EventPagesSitemap, EventSitemap, OccurrenceSitemap, OrganizerSitemap, VenueSitemap

from .views import HomeView, RobotsView, SearchView

# Editors' words in the admin's header and titles, not Django's.
admin.site.site_header = "Alliance against Trafficking: events and news"
admin.site.site_title = "Events and news admin"
admin.site.index_title = "Events and news"

SITEMAPS = {
    "pages": EventPagesSitemap,
    "events": EventSitemap,
    "dates": OccurrenceSitemap,
    "venues": VenueSitemap,
    "organizers": OrganizerSitemap,
    "news": ArticleSitemap,
}

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("search/", SearchView.as_view(), name="search"),
    path("robots.txt", RobotsView.as_view(), name="robots"),
    # An index of the sections, each in pages (events.sitemaps).
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap"},
        name="sitemap_index",
    ),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("", include("events.urls")),
    path("news/", include("articles.urls")),
    # The admin's .ics import page (issue 4), before admin.site.urls so that it is not taken for an event id.
    path("admin/events/event/import/", admin.site.admin_view(import_ics_view), name="events_event_import"),
    path(
        "admin/events/event/import/<int:pk>/",
        admin.site.admin_view(import_progress_view),
        name="events_event_import_progress",
    ),
    path("admin/", admin.site.urls),
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
]
