"""WSGI entry point: ``gunicorn events_site.wsgi``.

Django's application, behind the page cache's own answer to the pages it holds
(``events_site.page_cache.PageCacheApplication``).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "events_site.settings")

django_application = get_wsgi_application()

from events_site.page_cache import PageCacheApplication  # noqa: E402 (needs the settings set up)

application = PageCacheApplication(django_application)
