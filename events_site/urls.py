from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from events.admin_import import import_ics_view

from .views import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("", include("events.urls")),
    path("news/", include("articles.urls")),
    # The admin's .ics import page (issue 4), before admin.site.urls so that it is not taken for an event id.
    path("admin/events/event/import/", admin.site.admin_view(import_ics_view), name="events_event_import"),
    path("admin/", admin.site.urls),
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
]
