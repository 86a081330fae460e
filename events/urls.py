from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("events/", views.EventListView.as_view(), name="list"),
    path("events/past/", views.PastEventListView.as_view(), name="past"),
    path("events/<slug:slug>/", views.EventDetailView.as_view(), name="detail"),
    path("events/<slug:slug>.ics", views.EventCalendarFileView.as_view(), name="detail_ics"),
    path("categories/<slug:slug>/", views.CategoryDetailView.as_view(), name="category"),
    path("tags/<slug:slug>/", views.TagDetailView.as_view(), name="tag"),
]
