"""Fixtures shared by the whole suite."""

import datetime as dt
import importlib

import pytest
import time_machine
from django.core.cache import caches
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.http import HttpResponse

from tests.chromium import browser  # noqa: F401 - the run's one Chromium, for every folder


@pytest.fixture(autouse=True)
def empty_caches():
    """Every test starts with empty caches: a page cached by one test is never served to another,
    nor judged by another test's reading of the content revision."""
    from events_site.page_cache import revision_memo

    for cache in caches.all():
        cache.clear()
    revision_memo.forget()


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the site's default language: a request in another language leaves it
    active in the thread (LocaleMiddleware activates each request's, and nothing resets it)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    """Background runs (``events.tasks``) run inside the request that queues them, so a test sees
    their result at once; tests of the queue itself set the database backend back."""
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture
def seed(db):
    """The seed content from fixtures/seed.json, loaded as `make run` loads it."""
    call_command("load_seed", verbosity=0)


@pytest.fixture
def frozen_now():
    """Freeze time at 1 June 2021, 12:00 UTC: before the Alliance conference's registration deadline."""
    with time_machine.travel(dt.datetime(2021, 6, 1, 12, 0, tzinfo=dt.UTC), tick=False) as traveller:
        yield traveller


@pytest.fixture
def editors_group(db):
    """The Editors group exactly as its data migration makes it.

    A transactional test's flush empties every table, and only permissions and content types are
    recreated afterwards; this puts the group back for tests that run after such a flush.
    """
    from django.contrib.auth.models import Group, Permission

    migration = importlib.import_module("events.migrations.0003_admin_editors_group")
    return migration.grant_editors(Group, Permission)


@pytest.fixture
def editor(editors_group):
    """A staff account in the Editors group, as `manage.py create_editor` makes it."""
    from django.contrib.auth.models import User

    user = User.objects.create_user("editor", email="editor@example.org")  # logs in with force_login
    user.is_staff = True
    user.save()
    user.groups.add(editors_group)
    return user


@pytest.fixture
def editor_client(client, editor):
    """A test client logged in as the editor."""
    client.force_login(editor)
    return client


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what is inside as if its transaction committed (the tests' own transaction never does)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


class Visitor:
    """A browser talking to the served site: requests go through ``events_site.wsgi.application``,
    the page cache in front of Django included (Django's test client has no WSGI layer)."""

    def __init__(self, rf):
        from events_site.wsgi import application

        self.application, self.rf = application, rf

    def get(self, path, headers=None, host="testserver", cookie=""):
        answer = {}

        def start_response(status, response_headers, exc_info=None):
            answer["status"], answer["headers"] = int(status.split()[0]), dict(response_headers)

        extra = {"HTTP_COOKIE": cookie} if cookie else {}
        environ = self.rf.get(path, headers=headers, HTTP_HOST=host, **extra).environ
        body = self.application(environ, start_response)
        content = b"".join(body)
        if hasattr(body, "close"):
            body.close()
        response = HttpResponse(content, status=answer["status"])
        for name, value in answer["headers"].items():
            response[name] = value
        return response


@pytest.fixture
def served(rf):
    """The site as gunicorn serves it (``Visitor``)."""
    # As the test client does: a request must not close the test's database connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield Visitor(rf)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
