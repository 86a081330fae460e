"""Whole pages cached for anonymous visitors, and a new generation of them after every editor's save.

One layer: ``PageCacheApplication`` wraps Django's WSGI application (``events_site.wsgi``). It
answers a page it holds without reaching Django's request handling at all, and keeps the pages
Django makes that it may keep, with every header the site's middleware gave them (security
headers and the ETag of ``ConditionalGetMiddleware`` included). Django's test client, which has no
WSGI layer, is never answered from it; the tests of this module call the WSGI application.

Every cached page is stored with the *generation* it was made in, a random token kept in the cache
itself, and is served only while that is still the current generation. Every change of the site's
content (an event, a session, a venue, a tag, an article, a many-to-many link..., whatever wrote
it) sets a new generation through ``events.changes.record()``, so no page cached before the change
is served after it; old entries are overwritten or expire. Page and generation are read in one
round trip (``get_many``: one MGET on Redis). The generation is set at once and again when the transaction
commits, so a request that read the old rows during the transaction cannot leave its page under
the new generation. What changes with the clock alone (an event moving from upcoming to past,
registration closing) shows at most ``PAGE_CACHE_SECONDS`` late.

If the cache cannot be reached, the site goes on without it: pages are made by the views, saves
succeed. A Redis outage costs each request at most the backend's short timeout, then nothing while
its circuit breaker is open, and is logged once (``events_site.redis_cache``).

The generation lives in the cache, so every web process must share that cache (Redis through
``CACHE_URL`` in production). With the default local-memory cache each process has its own, which
is right for ``runserver`` and tests; in production settings the page cache is therefore off unless
the cache is shared or ``DJANGO_PAGE_CACHE_SECONDS`` is set explicitly (see settings).

Only plain anonymous GET requests are cached: a request with a session or messages cookie or an
``Authorization`` header always reaches the view (staff previews of drafts stay live), and only
200 responses that set no cookie, are not marked private and do not vary with the cookies of the
request they answer are stored.

A page is stored as ``(generation, revision, headers, body)``: strings and bytes, which cost less to read
back than a pickled ``HttpResponse`` and which no Django upgrade changes. A hit answers
conditional requests itself, as ``ConditionalGetMiddleware`` would: 304 Not Modified for a repeat
visit. Page and generation are read once per request, hit or miss. Static files are WhiteNoise's
and never looked up here.
"""

import hashlib
import logging
import time
import uuid
from http import HTTPStatus

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.db import DatabaseError
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response, has_vary_header
from django.utils.http import parse_http_date_safe

from events_site.redis_cache import FAILURES as REDIS_FAILURES

logger = logging.getLogger(__name__)

GENERATION_KEY = "page-cache:generation"
# Part of every page's key: a new number whenever the stored form of a page changes, so processes
# of a new release never read the entries of an old one (nor the other way round) during a deploy.
PAGE_FORMAT = 5
UNCACHEABLE_CACHE_CONTROL = ("private", "no-store", "no-cache")
CONDITIONAL_REQUEST_HEADERS = (
    "HTTP_IF_MATCH",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_UNMODIFIED_SINCE",
)


def page_cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def report(error, consequence):
    """Log a failed cache operation: a Redis outage is logged once by the backend's breaker
    (events_site.redis_cache), anything else with its traceback."""
    if isinstance(error, REDIS_FAILURES):
        logger.debug("Page cache unreachable: %s.", consequence)
    else:
        logger.exception("Page cache failed: %s.", consequence)


def current_generation(known=None):
    """The generation pages are cached under now (started on first use); ``known``: already read."""
    if known is not None:
        return known
    cache = page_cache()
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def bump_generation():
    """Start a new generation: no page cached before this call is served after it."""
    try:
        # Random, not a clock reading: two saves within one clock tick still give two generations.
        page_cache().set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception as error:
        # The editor's change is saved all the same; pages kept from before it can be served until
        # they expire, if the cache comes back with them.
        report(error, "a new generation could not be started")


def is_cacheable_request(request):
    return (
        request.method == "GET"
        and not request.path.startswith(settings.STATIC_URL)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def is_cacheable_response(request, response):
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not any(word in cache_control for word in UNCACHEABLE_CACHE_CONTROL)
        # A page that varies with cookies (a form with the visitor's CSRF token) is kept only when
        # made for a request without any, so it holds nothing of one visitor's.
        and not (request.COOKIES and has_vary_header(response, "Cookie"))
        and not has_vary_header(response, "*")
        # A nonce in the Content-Security-Policy is good for one response only.
        and "'nonce-" not in response.get("Content-Security-Policy", "")
    )


def cached_response(request, headers, body):
    """The stored page, or the 304 (or 412) that ``ConditionalGetMiddleware`` would make of it."""
    response = HttpResponse(body, headers=headers)
    last_modified = response.get("Last-Modified")
    return get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=last_modified and parse_http_date_safe(last_modified),
        response=response,
    )


def page_key(request):
    """The key of a page: its address and the language Django will make it in (the address's
    prefix, else the visitor's cookie or Accept-Language, as ``LocaleMiddleware`` reads them), so
    that a page made in one language is never served to a visitor of another."""
    language = translation.get_language_from_request(request, check_path=True)
    address = hashlib.sha256(f"{language} {request.build_absolute_uri()}".encode()).hexdigest()
    return f"page-cache:{PAGE_FORMAT}:{address}"


def content_revision():
    """The content revision's number in the database (``events.models.ContentRevision``), or None
    when the database cannot be asked (the page is then judged by its generation alone)."""
    from events.models import ContentRevision

    try:
        return ContentRevision.row().values_list("number", flat=True).first() or 0
    except DatabaseError:
        logger.debug("Page cache: the content revision could not be read.")
        return None


class RevisionMemo:
    """This process's recent reading of the content revision, at most ``seconds`` old."""

    def __init__(self, seconds=None, clock=time.monotonic):
        self.seconds, self.clock = seconds, clock
        self.value, self.read_at = None, None

    def current(self):
        seconds = settings.PAGE_CACHE_REVISION_SECONDS if self.seconds is None else self.seconds
        if self.read_at is None or self.clock() - self.read_at >= seconds:
            self.remember(content_revision())
        return self.value

    def remember(self, value):
        """A fresh reading (a page about to be made reads one anyway)."""
        if value is not None:
            self.value, self.read_at = value, self.clock()

    def forget(self):
        self.value, self.read_at = None, None


revision_memo = RevisionMemo()


def look_up(key):
    """(the current generation, the ``(headers, body)`` stored under ``key`` in it or None).

    One round trip to the cache. A page is served only if it was made in the current generation
    and not before the content revision the database holds (read at most once a second per
    process): a cache that lost a generation (Redis back from a snapshot taken before an edit made
    while it was away) cannot serve pages from before that edit for more than a second.
    (None, None) if the cache cannot be reached: the site goes on without it.
    """
    try:
        found = page_cache().get_many([GENERATION_KEY, key])
        generation = current_generation(known=found.get(GENERATION_KEY))
    except Exception as error:
        report(error, "the page is made without it")
        return None, None
    entry = found.get(key)
    if entry is None or entry[0] != generation:
        return generation, None
    revision = revision_memo.current()
    if revision is not None and entry[1] < revision:
        return generation, None
    return generation, entry[2:]


class PageCacheApplication:
    """The page cache: a WSGI application in front of Django's that answers the pages it holds and
    keeps the ones Django makes that it may keep."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if not settings.PAGE_CACHE_SECONDS or environ.get("REQUEST_METHOD") != "GET":
            return self.application(environ, start_response)
        request = WSGIRequest(environ)
        if not is_cacheable_request(request):
            return self.application(environ, start_response)
        try:
            key = page_key(request)
        except DisallowedHost:  # Django answers it with its 400 page
            return self.application(environ, start_response)
        generation, stored = look_up(key)
        if stored is not None:
            return self.answer(request, stored, start_response)
        return self.make(request, environ, start_response, key, generation)

    def make(self, request, environ, start_response, key, generation):
        """Django makes the page; the answer is sent as it is, and kept when it may be, marked
        with the content revision read before it was made."""
        revision = content_revision() if generation is not None else None
        revision_memo.remember(revision)
        if revision is None:
            generation = None  # without the revision the page could not be judged later: not kept
        started = []
        response = self.application(environ, lambda *args: started.append(args))
        start_response(*started[0])
        if generation is not None and is_cacheable_response(request, response):
            store(key, (generation, revision, dict(response.items()), response.content))
        return response

    @staticmethod
    def answer(request, stored, start_response):
        headers, body = stored
        if any(name in request.META for name in CONDITIONAL_REQUEST_HEADERS):
            response = cached_response(request, headers, body)
            status, headers, body = response.status_code, list(response.items()), response.content
        else:  # the usual repeat visit: the stored answer as it is
            status, headers = 200, list(headers.items())
        start_response(f"{status} {HTTPStatus(status).phrase}", headers)
        return [body]


def store(key, entry):
    try:
        page_cache().set(key, entry, settings.PAGE_CACHE_SECONDS)
    except Exception as error:
        report(error, "the page was not stored")
