"""The Redis cache backend reuses its client, and still stores and reads like Django's own."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from events_site.redis_cache import RedisCache

REDIS = ("127.0.0.1", 6379)
ROOT = Path(__file__).resolve().parent.parent


def redis_is_running():
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(REDIS) == 0


def settings_for(**env_overrides):
    """The cache and page-cache settings a process started with this environment gets."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CACHE_URL"))}
    env.update(env_overrides)
    code = (
        "from django.conf import settings; "
        "print(settings.CACHES['default']['BACKEND'], settings.CACHES['default']['KEY_PREFIX'] or '-', "
        "settings.PAGE_CACHE_SECONDS)"
    )
    result = subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.split()


PRODUCTION = {"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "x" * 60, "DJANGO_ALLOWED_HOSTS": "example.org"}


def test_redis_cache_url_gets_this_backend_its_key_prefix_and_the_page_cache():
    found = settings_for(CACHE_URL="redis://127.0.0.1:6379/1?key_prefix=site", **PRODUCTION)

    assert found == ["events_site.redis_cache.RedisCache", "site", "60"]


def test_production_with_the_process_local_cache_has_no_page_cache():
    found = settings_for(**PRODUCTION)

    assert found == ["django.core.cache.backends.locmem.LocMemCache", "-", "0"]


def test_development_caches_pages_in_local_memory():
    assert settings_for() == ["django.core.cache.backends.locmem.LocMemCache", "-", "60"]


@pytest.mark.skipif(not redis_is_running(), reason="no Redis on 127.0.0.1:6379")
def test_one_client_serves_every_operation():
    cache = RedisCache("redis://127.0.0.1:6379/0", {"KEY_PREFIX": "events-site-test-redis-cache"})

    cache.set("answer", {"value": 42}, 30)
    values = cache.get_many(["answer", "missing"])
    clients = {id(cache._cache.get_client("answer")), id(cache._cache.get_client("answer", write=True))}
    cache.delete("answer")

    assert values == {"answer": {"value": 42}}
    assert len(clients) == 1
    assert cache.get("answer") is None
