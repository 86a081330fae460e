"""A database that drops away for a moment gives a retry or a friendly 503, never a 500 (issue 15,
in part)."""

import pytest
from django.db import OperationalError
from django.test import Client

from events import views
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def failing(times, monkeypatch):
    """The past-events view fails ``times`` times with a dropped connection, then works."""
    calls = {"count": 0}
    real = views.PastEventListView.get

    def get(self, request, *args, **kwargs):
        calls["count"] += 1
        if calls["count"] <= times:
            raise OperationalError("server closed the connection unexpectedly")
        return real(self, request, *args, **kwargs)

    monkeypatch.setattr(views.PastEventListView, "get", get)
    return calls


def test_a_read_that_lost_its_connection_is_answered_again(monkeypatch):
    calls = failing(1, monkeypatch)
    response = Client(raise_request_exception=False).get("/en/events/past/")
    assert response.status_code == 200
    assert calls["count"] == 2
    assert "Past events" in text_of(response)


def test_a_database_still_down_gives_a_friendly_503(monkeypatch):
    failing(99, monkeypatch)
    response = Client(raise_request_exception=False).get("/en/events/past/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Cache-Control"] == "no-store"
    assert "Back in a moment" in response.content.decode()


def test_a_write_is_not_sent_twice(monkeypatch):
    calls = {"count": 0}

    def post(self, request, *args, **kwargs):
        calls["count"] += 1
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(views.PastEventListView, "post", post, raising=False)
    monkeypatch.setattr(views.PastEventListView, "http_method_names", ["get", "post"])
    response = Client(raise_request_exception=False, enforce_csrf_checks=False).post("/en/events/past/")
    assert response.status_code == 503
    assert calls["count"] == 1


def test_other_errors_stay_errors(monkeypatch):
    def get(self, request, *args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(views.PastEventListView, "get", get)
    response = Client(raise_request_exception=False).get("/en/events/past/")
    assert response.status_code == 500
