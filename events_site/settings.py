"""Settings for the events site: one module, read from the environment (see .env.example).

Development needs no configuration. With ``DJANGO_DEBUG=false`` the site refuses to start unless
``DJANGO_SECRET_KEY`` and ``DJANGO_ALLOWED_HOSTS`` are set, and the secure-transport settings that
``manage.py check --deploy`` asks for are switched on.
"""

import zoneinfo
from pathlib import Path

import csp.constants
import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)

_DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=_DEVELOPMENT_SECRET_KEY if DEBUG else "")
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else []
)
if not DEBUG:
    missing = [
        name
        for name, value in (("DJANGO_SECRET_KEY", SECRET_KEY), ("DJANGO_ALLOWED_HOSTS", ALLOWED_HOSTS))
        if not value
    ]
    if missing:
        raise ImproperlyConfigured(
            f"DJANGO_DEBUG is off, so {' and '.join(missing)} must be set in the environment "
            "(see .env.example)."
        )

# The domain in iCalendar UIDs and in absolute URLs built outside a request.
SITE_DOMAIN = env.str("DJANGO_SITE_DOMAIN", default=ALLOWED_HOSTS[0] if ALLOWED_HOSTS else "localhost")
# The site's canonical address ("https://events.example.org"). When set, links inside calendar files
# use it whatever Host a request came with, and every event's VEVENTs are written once when it is
# saved, so that large feeds are copied rather than built (events.calendar_files.stored). Empty: links follow
# the request's host and feeds are built on every request.
SITE_URL = env.str("DJANGO_SITE_URL", default="").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Search's trigram indexes (events.postgres): lets an index expression carry an operator class.
    "django.contrib.postgres",
    # The rich-text editor of descriptions and article bodies (events_site.rich_text); its
    # scripts and styles are static files of the package, served like ours (no CDN).
    "django_prose_editor",
    # Background runs (events.tasks): Django 6's tasks framework, backported, with its queue kept in
    # the database and worked by `manage.py db_worker` (one or more, on any machine).
    "django_tasks",
    "django_tasks_db",
    "events",
    "articles",
]

MIDDLEWARE = [
    # (The page cache is in front of all of these: events_site.wsgi, events_site.page_cache.)
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (CONTENT_SECURITY_POLICY below) on every response, cached pages included.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETag and 304 Not Modified for pages the page cache does not answer.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language of a page: its address's prefix (/de/events/); for an address without one, the
    # language the visitor chose (cookie), else the browser's Accept-Language, redirected to.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A dropped database connection: one more try for a read, else 503 (not 500).
    "events_site.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "events_site.urls"
WSGI_APPLICATION = "events_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite reads through a memory map instead of copying each page into its 2 MB cache: a busy
    # month of the calendar reads thousands of pages spread over a large file.
    mmap_bytes = env.int("DJANGO_SQLITE_MMAP_MB", default=256) * 2**20
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = f"PRAGMA mmap_size = {mmap_bytes}"
    # A write waits this many seconds for another's transaction (a background import holds one while
    # it saves) before it fails; SQLite's default is 5.
    DATABASES["default"]["OPTIONS"].setdefault("timeout", env.int("DJANGO_SQLITE_TIMEOUT", default=20))

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The site's server-side cursors (QuerySet.iterator(): calendar feeds, feed texts) are always
    # read to the end: plan them for the whole result, not for its first tenth (PostgreSQL's
    # default), which made a venue's feed walk the primary key of every event rather than read its
    # few hundred and sort them. (A pooler in transaction mode drops startup options: set it there.)
    pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    pg_options["options"] = f"{pg_options.get('options', '')} -c cursor_tuple_fraction=1".strip()

# Where background runs (the admin's imports) go: the database queue by default, worked by
# `manage.py db_worker`; "django_tasks.backends.immediate.ImmediateBackend" runs them in the request.
TASKS = {"default": {"BACKEND": env.str("DJANGO_TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
# django-environ passes "?key_prefix=" from the URL under a lower-case name that Django ignores.
CACHES["default"]["KEY_PREFIX"] = CACHES["default"].pop("key_prefix", "")
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Short timeouts and a circuit breaker (events_site/redis_cache.py): a hung Redis must not hold
    # requests, which go on without the cache.
    CACHES["default"]["BACKEND"] = "events_site.redis_cache.RedisCache"
    _cache_timeout = env.int("DJANGO_CACHE_TIMEOUT_MS", default=50) / 1000
    CACHES["default"].setdefault("OPTIONS", {}).update(
        socket_connect_timeout=_cache_timeout, socket_timeout=_cache_timeout
    )

# Anonymous pages are cached whole (events_site/page_cache.py) until an editor saves anything.
# The invalidation lives in the cache, so it must be shared by every process: on by default in
# development (one process) and with a shared cache such as Redis; off in production with the
# per-process local-memory cache, unless set explicitly. 0 turns the page cache off.
PAGE_CACHE_ALIAS = "default"
_PROCESS_LOCAL_CACHE = CACHES["default"]["BACKEND"].endswith("LocMemCache")
PAGE_CACHE_SECONDS = env.int(
    "DJANGO_PAGE_CACHE_SECONDS", default=0 if (_PROCESS_LOCAL_CACHE and not DEBUG) else 60
)

# How old a process's reading of the content revision may be when it judges a cached page (see
# events_site/page_cache.py: what a cache that lost data may serve, at most this late).
PAGE_CACHE_REVISION_SECONDS = env.float("DJANGO_PAGE_CACHE_REVISION_SECONDS", default=1.0)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The working languages of the OSCE region, the network's audience; English is the original language
# of the content (other languages show it where a translation is missing). How a translator adds a
# language: README, "Languages".
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("de", "Deutsch"),
    ("it", "Italiano"),
    ("ru", "Русский"),
    ("es", "Español"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and times as each language writes them (Django's locale formats), with the site's own
# English ones ("June 14, 2021", "4:00 pm") in events_site/formats/en.
FORMAT_MODULE_PATH = ["events_site.formats"]
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="Europe/Vienna")
if TIME_ZONE not in zoneinfo.available_timezones():
    raise ImproperlyConfigured(f"DJANGO_TIME_ZONE={TIME_ZONE!r} is not an IANA timezone name.")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded files (documents, images and their renditions), always through the storage API:
# - by default a local folder, MEDIA_ROOT, served at MEDIA_URL by the proxy in production (README,
#   "Uploaded files"); several machines must then share that folder;
# - with DJANGO_MEDIA_BUCKET, an S3-compatible bucket that every machine shares (django-storages;
#   credentials from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), its files public (read by
#   anyone, as the documents of a published event are) and linked without expiring signatures, so
#   that a cached page's links keep working.
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_BUCKET = env.str("DJANGO_MEDIA_BUCKET", default="")
MEDIA_ORIGINS = []  # where pages load uploaded images from, besides the site (Content-Security-Policy)
if MEDIA_BUCKET:
    _media_endpoint = env.str("DJANGO_MEDIA_ENDPOINT_URL", default="")  # e.g. MinIO's or another cloud's
    _media_domain = env.str("DJANGO_MEDIA_DOMAIN", default="")  # a CDN in front of the bucket
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_BUCKET,
            "endpoint_url": _media_endpoint or None,
            "region_name": env.str("DJANGO_MEDIA_REGION", default="") or None,
            "custom_domain": _media_domain or None,
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }
    if _media_domain:
        MEDIA_ORIGINS = [f"https://{_media_domain}"]
    elif _media_endpoint:
        MEDIA_ORIGINS = [_media_endpoint.rstrip("/")]
    else:
        MEDIA_ORIGINS = ["https://*.amazonaws.com"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Secure transport: on whenever debug is off (the site runs behind a TLS-terminating proxy).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts, styles and fonts from the site only; an inline
# script only with the response's nonce (the admin's rich-text editor's import map); no plugins, no
# framing; the one outside frame is OpenStreetMap's map on a venue page. JSON-LD is data, not script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", csp.constants.NONCE],
        # The rich-text editor (Tiptap, in django-prose-editor 0.28) inserts one fixed <style>: its
        # hash. A release that changes it fails tests/browser/test_content_security_policy.py.
        "style-src": ["'self'", "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"],
        "img-src": ["'self'", "data:", *MEDIA_ORIGINS],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["https://www.openstreetmap.org"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}

EVENTS_PER_PAGE = 20

# The currency search engines are told for a free event that names none (a price of 0 needs one).
DEFAULT_CURRENCY = env.str("DJANGO_DEFAULT_CURRENCY", default="EUR")

# Calendar subscriptions (.ics feeds): how far back they reach and the most events one file holds.
# Both are stated on the subscribe page and in the README; a capped feed says so in the file.
ICS_FEED_PAST_DAYS = env.int("DJANGO_ICS_FEED_PAST_DAYS", default=365)
ICS_FEED_MAX_EVENTS = env.int("DJANGO_ICS_FEED_MAX_EVENTS", default=5000)
# The largest .ics file an import reads (manage.py import_ics, the admin's upload or address), in
# MB: 100 fits an export of 100,000 events (73 MB). A larger file is refused as soon as its bytes
# pass the limit, before the rest is read.
ICS_IMPORT_MAX_BYTES = env.int("DJANGO_ICS_IMPORT_MAX_MB", default=100) * 1_000_000
ARTICLES_PER_PAGE = 10

# Event and article images editors may upload: the size limit in bytes (events/models/images.py).
IMAGE_MAX_UPLOAD_SIZE = env.int("DJANGO_IMAGE_MAX_UPLOAD_SIZE", default=10 * 1024 * 1024)
# Event documents editors may upload: the size limit in bytes (types are fixed in events/uploads.py).
DOCUMENT_MAX_UPLOAD_SIZE = env.int("DJANGO_DOCUMENT_MAX_UPLOAD_SIZE", default=20 * 1024 * 1024)
