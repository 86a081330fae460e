"""A Redis that hangs or restarts never stalls the site (issue 15, in part).

A real redis-server is started on its own port, paused (SIGSTOP: it accepts connections and never
answers, as a hung process does) and resumed, or stopped and started again from its disk snapshot;
requests go through the WSGI page cache meanwhile.
"""

import datetime as dt
import logging
import shutil
import signal
import socket
import subprocess
import time

import pytest
import redis

from events_site import redis_cache
from events_site.redis_cache import Breaker, CacheUnavailable

pytestmark = pytest.mark.django_db


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_redis(port, folder):
    """A redis-server on ``port`` keeping its snapshot (written on SAVE only) in ``folder``."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    process = subprocess.Popen(  # noqa: S603 - a fixed command line
        [server, "--port", str(port), "--save", "", "--appendonly", "no", "--bind", "127.0.0.1",
         "--dir", str(folder), "--dbfilename", "snapshot.rdb"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(100):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    return process


def stop_redis(process):
    process.send_signal(signal.SIGCONT)
    process.terminate()
    process.wait(timeout=5)


@pytest.fixture
def own_redis(tmp_path):
    port = free_port()
    processes = [start_redis(port, tmp_path)]
    yield processes, port
    stop_redis(processes[-1])


@pytest.fixture
def site_on_own_redis(own_redis, settings, monkeypatch):
    processes, port = own_redis
    settings.CACHES = {
        "default": {
            "BACKEND": "events_site.redis_cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.05, "socket_timeout": 0.05},  # as settings.py sets
        }
    }
    settings.PAGE_CACHE_SECONDS = 60
    monkeypatch.setattr(redis_cache, "BREAKER_SECONDS", 1.0)
    return processes[0]


def timed(served, path):
    started = time.monotonic()
    response = served.get(path)
    return response.status_code, time.monotonic() - started


def test_a_hung_redis_costs_one_short_timeout_then_nothing(site_on_own_redis, served, caplog):
    assert timed(served, "/en/")[0] == 200  # made and cached
    site_on_own_redis.send_signal(signal.SIGSTOP)

    answers = [timed(served, "/en/") for _ in range(20)]

    assert {status for status, _ in answers} == {200}
    assert max(seconds for _, seconds in answers) < 1.0  # redis-py's default would wait 5 s each
    assert sum(seconds for _, seconds in answers) < 4.0
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len([w for w in warnings if w.startswith("Cache unreachable")]) == 1

    site_on_own_redis.send_signal(signal.SIGCONT)
    time.sleep(1.1)  # the breaker lets one request try again
    assert timed(served, "/en/")[0] == 200
    assert any(r.getMessage().startswith("Cache reachable again") for r in caplog.records)


def test_the_breaker_opens_on_failure_and_lets_one_try_after_its_time():
    now = [100.0]
    breaker = Breaker(seconds=5, clock=lambda: now[0])
    breaker.before()  # closed: goes ahead
    breaker.failed(TimeoutError())
    with pytest.raises(CacheUnavailable):
        breaker.before()
    now[0] += 5.1
    breaker.before()  # half-open: one try
    breaker.succeeded()
    breaker.before()
    assert breaker.outage_started is None


def test_an_edit_made_while_redis_was_away_shows_when_it_is_back(site_on_own_redis, served, settings):
    """Redis is away while an editor saves (the new generation cannot be set) and comes back with
    its old generation and pages, as from a disk snapshot: the edit still shows at once."""
    from tests.factories import EventFactory

    settings.PAGE_CACHE_REVISION_SECONDS = 0  # the default is one second: read it at every hit here
    event = EventFactory(title="Labour Inspection Workshop", start=dt.datetime(2099, 1, 5, 10, tzinfo=dt.UTC))
    assert "Labour Inspection Workshop" in served.get("/en/events/").content.decode()
    assert "Labour Inspection Workshop" in served.get("/en/events/").content.decode()  # from the cache

    site_on_own_redis.send_signal(signal.SIGSTOP)
    event.title = "Labour Inspection Training"
    event.save()  # saved; the cache's new generation is lost
    site_on_own_redis.send_signal(signal.SIGCONT)
    time.sleep(1.1)  # the breaker lets requests reach Redis again: the old generation and pages

    page = served.get("/en/events/").content.decode()
    assert "Labour Inspection Training" in page
    assert "Labour Inspection Workshop" not in page


def test_a_redis_paused_then_restarted_from_its_snapshot_neither_stalls_nor_serves_a_stale_page(
    own_redis, site_on_own_redis, served, settings, tmp_path
):
    """The whole outage an operator sees: Redis hangs, comes back, is snapshotted, goes down while an
    editor saves, and is started again from the snapshot holding the old generation and pages."""
    from tests.factories import EventFactory

    processes, port = own_redis
    settings.PAGE_CACHE_REVISION_SECONDS = 0
    event = EventFactory(title="Victim Support Forum", start=dt.datetime(2099, 1, 5, 10, tzinfo=dt.UTC))
    assert "Victim Support Forum" in served.get("/en/events/").content.decode()  # made and cached

    site_on_own_redis.send_signal(signal.SIGSTOP)  # hangs
    paused = [timed(served, "/en/events/") for _ in range(10)]
    site_on_own_redis.send_signal(signal.SIGCONT)
    time.sleep(1.1)
    assert "Victim Support Forum" in served.get("/en/events/").content.decode()  # cached again

    assert redis.Redis(port=port).save()  # the snapshot: the generation and pages before the edit
    stop_redis(site_on_own_redis)  # down: connections refused
    event.title = "Victim Support Network"
    event.save()
    down = [timed(served, "/en/events/") for _ in range(10)]
    processes.append(start_redis(port, tmp_path))  # back, from the snapshot taken before the edit
    assert redis.Redis(port=port).dbsize() > 0  # it did load the old pages
    time.sleep(1.1)
    restarted = [timed(served, "/en/events/") for _ in range(10)]

    assert {status for status, _ in paused + down + restarted} == {200}
    assert max(seconds for _, seconds in paused + down + restarted) < 1.0
    page = served.get("/en/events/").content.decode()
    assert "Victim Support Network" in page
    assert "Victim Support Forum" not in page
