"""Fixtures shared by the whole suite."""

import datetime as dt
import importlib

import pytest
import time_machine
from django.core.cache import caches
from django.core.management import call_command


@pytest.fixture(autouse=True)
def empty_caches():
    """Every test starts with empty caches: a page cached by one test is never served to another."""
    for cache in caches.all():
        cache.clear()


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
