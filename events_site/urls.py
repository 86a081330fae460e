from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import JavaScriptCatalog, set_language

from articles.sitemaps import ArticleSitemap
from events.calendar_files.admin_import import import_ics_view, import_progress_view
from events.sitemaps import EventPagesSitemap, EventSitemap, OccurrenceSitemap, OrganizerSitemap, VenueSitemap

from .views import HomeView, RobotsView, SearchView

# Editors' words in the admin's header and titles, not Django's.
admin.site.site_header = _("Alliance against Trafficking: events and news")
admin.site.site_title = _("Events and news admin")
admin.site.index_title = _("Events and news")

SITEMAPS = {
    "pages": EventPagesSitemap,
    "events": EventSitemap,
    "dates": OccurrenceSitemap,
    "venues": VenueSitemap,
    "organizers": OrganizerSitemap,
    "news": ArticleSitemap,
}

urlpatterns = [
    path("robots.txt", RobotsView.as_view(), name="robots"),
    # An index of the sections, each in pages (events.sitemaps).
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap"},
        name="sitemap_index",
    ),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
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

# Public pages, feeds and calendar files, in each language under its prefix ("/de/events/"). An
# address without one ("/events/") is redirected to the visitor's language (events_site.settings,
# LocaleMiddleware), so links and subscriptions made before the prefixes keep working.
urlpatterns += i18n_patterns(
    path("", HomeView.as_view(), name="home"),
    path("search/", SearchView.as_view(), name="search"),
    # The language switcher's form (includes/language_switcher.html): remembers the visitor's choice
    # in Django's language cookie and goes to the same page in that language. Under the page's own
    # prefix, so that the page's address is read in its language. Exempt from CSRF: a token would
    # tie every public page to its visitor's cookie and keep it out of the page cache, and a forged
    # request can do no more than change the language a browser is shown.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    # The interface's words in the language of the page, for the site's scripts: kept by browsers
    # for an hour (every page asks for it), by the page cache until the next change.
    path(
        "jsi18n/",
        cache_control(public=True, max_age=3600)(JavaScriptCatalog.as_view()),
        name="javascript_catalog",
    ),
    path("", include("events.urls")),
    path("news/", include("articles.urls")),
)
