from django.urls import path

from . import feeds, views

app_name = "events"

urlpatterns = [
    path("events/", views.EventListView.as_view(), name="list"),
    path("events/past/", views.PastEventListView.as_view(), name="past"),
    path("events/feed.rss", feeds.UpcomingEventsFeed(), name="feed_rss"),
    path("events/feed.atom", feeds.UpcomingEventsAtomFeed(), name="feed_atom"),
    path("events/calendar/", views.CalendarTodayView.as_view(), name="calendar"),
    path("events/calendar/<int:year>/<int:month>/", views.CalendarMonthView.as_view(), name="calendar_month"),
    path(
        "events/calendar/<int:year>/<int:month>/<int:day>/",
        views.CalendarAgendaView.as_view(),
        name="calendar_day",
    ),
    path(
        "events/calendar/<int:year>/week/<int:week>/", views.CalendarWeekView.as_view(), name="calendar_week"
    ),
    path("events/<slug:slug>/", views.EventDetailView.as_view(), name="detail"),
    path("events/<slug:slug>.ics", views.EventCalendarFileView.as_view(), name="detail_ics"),
    path("categories/<slug:slug>/", views.CategoryDetailView.as_view(), name="category"),
    path("tags/<slug:slug>/", views.TagDetailView.as_view(), name="tag"),
    path("venues/<slug:slug>/", views.VenueDetailView.as_view(), name="venue"),
    path("organizers/<slug:slug>/", views.OrganizerDetailView.as_view(), name="organizer"),
]
