"""Django's Redis cache backend, made safe to lean on: short timeouts, a circuit breaker, one client.

* **Timeouts.** redis-py waits 5 s per operation by default; a Redis that accepts connections but
  does not answer (a paused or overloaded process) then holds every request for seconds. Settings
  give the pool connect and read timeouts in the tens of milliseconds (``DJANGO_CACHE_TIMEOUT_MS``).
* **Circuit breaker.** After a failure the backend stops asking Redis for ``BREAKER_SECONDS``:
  every operation fails at once with ``CacheUnavailable`` (callers already go on without the
  cache), then one request tries again. It logs once when the outage begins and once when it ends,
  not a traceback per request. Its state is this process's own knowledge of Redis, not shared data.
* **One client per pool.** Django's ``RedisCacheClient.get_client()`` builds a new ``redis.Redis``
  for every operation (setting up its response callbacks each time, as costly as the rest of a
  page-cache hit); a client is safe to share, so each pool gets one and keeps it.

Settings use this backend whenever ``CACHE_URL`` names Redis.
"""

import functools
import logging
import threading
import time

import redis
from django.core.cache.backends import redis as django_redis

logger = logging.getLogger(__name__)

BREAKER_SECONDS = 5.0
FAILURES = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)
OPERATIONS = (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
)


class CacheUnavailable(redis.exceptions.ConnectionError):
    """Redis failed a moment ago: not asked again until the breaker lets one request through."""


class Breaker:
    """Open for ``seconds`` after a failure; then half-open: the next call tries Redis again."""

    def __init__(self, seconds=None, clock=time.monotonic):
        self.seconds = BREAKER_SECONDS if seconds is None else seconds
        self.clock = clock
        self.open_until = 0.0
        self.outage_started = None
        self.lock = threading.Lock()

    def before(self):
        if self.open_until and self.clock() < self.open_until:
            raise CacheUnavailable("The cache failed a moment ago; it is not asked for a while.")

    def failed(self, error):
        with self.lock:
            self.open_until = self.clock() + self.seconds
            if self.outage_started is None:
                self.outage_started = self.clock()
                logger.warning(
                    "Cache unreachable (%s): the site goes on without it, trying again every %s s.",
                    error.__class__.__name__,
                    self.seconds,
                )

    def succeeded(self):
        if self.outage_started is None:
            return
        with self.lock:
            if self.outage_started is not None:
                logger.warning("Cache reachable again after %.1f s.", self.clock() - self.outage_started)
            self.outage_started, self.open_until = None, 0.0


def _guarded(method):
    @functools.wraps(method)
    def call(self, *args, **kwargs):
        self.breaker.before()
        try:
            result = method(self, *args, **kwargs)
        except FAILURES as error:
            self.breaker.failed(error)
            raise
        self.breaker.succeeded()
        return result

    return call


class GuardedRedisCacheClient(django_redis.RedisCacheClient):
    """Django's operations behind the breaker, with one ``redis.Redis`` per connection pool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self.breaker = Breaker()

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


for _name in OPERATIONS:
    setattr(GuardedRedisCacheClient, _name, _guarded(getattr(django_redis.RedisCacheClient, _name)))


class RedisCache(django_redis.RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` with the breaker and reused clients."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = GuardedRedisCacheClient
