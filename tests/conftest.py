"""Fixtures shared by the whole suite."""

import datetime as dt

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
