from django.urls import path, re_path, register_converter

from . import feeds, views
from .calendar_files import views as ics_views


class FourDigitConverter:
    """A year in a calendar URL: always four digits ("2021")."""

    regex = "[0-9]{4}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{value:04d}"


class TwoDigitConverter:
    """A month, day or week in a calendar URL: always two digits ("06"); the view checks the range."""

    regex = "[0-9]{2}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{value:02d}"


register_converter(FourDigitConverter, "yyyy")
register_converter(TwoDigitConverter, "nn")

app_name = "events"

urlpatterns = [
    # Calendar files and subscriptions (issue 4): before "events/<slug>/", whose slug would match them.
    path("events/calendar.ics", ics_views.FilteredCalendarFileView.as_view(), name="calendar_ics"),
    path("events/subscribe/", ics_views.SubscribeView.as_view(), name="subscribe"),
    path("events/<slug:slug>/schedule/", ics_views.PersonalScheduleView.as_view(), name="schedule"),
    path(
        "events/<slug:slug>/schedule.ics", ics_views.PersonalScheduleFileView.as_view(), name="schedule_ics"
    ),
    path(
        "events/<slug:slug>/sessions/<int:pk>.ics",
        ics_views.SessionCalendarFileView.as_view(),
        name="session_ics",
    ),
    path(
        "events/<slug:slug>/registration-deadline.ics",
        ics_views.RegistrationDeadlineFileView.as_view(),
        name="registration_deadline_ics",
    ),
    path("events/", views.EventListView.as_view(), name="list"),
    path("events/past/", views.PastEventListView.as_view(), name="past"),
    path("events/feed.rss", feeds.UpcomingEventsFeed(), name="feed_rss"),
    path("events/feed.atom", feeds.UpcomingEventsAtomFeed(), name="feed_atom"),
    path("events/calendar/", views.CalendarTodayView.as_view(), name="calendar"),
    path("events/calendar/<yyyy:year>/<nn:month>/", views.CalendarMonthView.as_view(), name="calendar_month"),
    path(
        "events/calendar/<yyyy:year>/<nn:month>/<nn:day>/",
        views.CalendarAgendaView.as_view(),
        name="calendar_day",
    ),
    path(
        "events/calendar/<yyyy:year>/week/<nn:week>/", views.CalendarWeekView.as_view(), name="calendar_week"
    ),
    path("events/<slug:slug>/", views.EventDetailView.as_view(), name="detail"),
    re_path(
        r"^events/(?P<slug>[-\w]+)/(?P<key>[0-9]{8}(?:T[0-9]{4})?)/$",
        views.OccurrenceDetailView.as_view(),
        name="occurrence",
    ),
    re_path(
        r"^events/(?P<slug>[-\w]+)/(?P<key>[0-9]{8}(?:T[0-9]{4})?)\.ics$",
        ics_views.OccurrenceCalendarFileView.as_view(),
        name="occurrence_ics",
    ),
    path("events/<slug:slug>.ics", ics_views.EventCalendarFileView.as_view(), name="detail_ics"),
    path("categories/<slug:slug>/", views.CategoryDetailView.as_view(), name="category"),
    path("tags/<slug:slug>/", views.TagDetailView.as_view(), name="tag"),
    path("venues/", views.VenueListView.as_view(), name="venues"),
    path("organizers/", views.OrganizerListView.as_view(), name="organizers"),
    path("venues/<slug:slug>/", views.VenueDetailView.as_view(), name="venue"),
    path("organizers/<slug:slug>/", views.OrganizerDetailView.as_view(), name="organizer"),
]
