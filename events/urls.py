from django.urls import path

from . import ical_views, views

app_name = "events"

urlpatterns = [
    # Calendar files and subscriptions (issue 4): before "events/<slug>/", whose slug would match them.
    path("events/calendar.ics", ical_views.FilteredCalendarFileView.as_view(), name="calendar_ics"),
    path("events/subscribe/", ical_views.SubscribeView.as_view(), name="subscribe"),
    path("events/<slug:slug>/schedule/", ical_views.PersonalScheduleView.as_view(), name="schedule"),
    path(
        "events/<slug:slug>/schedule.ics", ical_views.PersonalScheduleFileView.as_view(), name="schedule_ics"
    ),
    path(
        "events/<slug:slug>/sessions/<int:pk>.ics",
        ical_views.SessionCalendarFileView.as_view(),
        name="session_ics",
    ),
    path(
        "events/<slug:slug>/registration-deadline.ics",
        ical_views.RegistrationDeadlineFileView.as_view(),
        name="registration_deadline_ics",
    ),
    path("events/", views.EventListView.as_view(), name="list"),
    path("events/past/", views.PastEventListView.as_view(), name="past"),
    path("events/<slug:slug>/", views.EventDetailView.as_view(), name="detail"),
    path("events/<slug:slug>.ics", ical_views.EventCalendarFileView.as_view(), name="detail_ics"),
    path("categories/<slug:slug>/", views.CategoryDetailView.as_view(), name="category"),
    path("tags/<slug:slug>/", views.TagDetailView.as_view(), name="tag"),
]
