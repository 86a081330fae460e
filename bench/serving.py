"""A request as gunicorn makes it, for the benchmark's probes (run after ``django.setup()``)."""

from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext


def served(url, host="127.0.0.1"):
    """(status code, body, SQL queries) of a GET of ``url`` through ``events_site.wsgi.application``:
    the page cache in front of Django included (the test client has no WSGI layer)."""
    from events_site.wsgi import application

    environ = RequestFactory(HTTP_HOST=host).get(url).environ
    status = []
    with CaptureQueriesContext(connection) as queries:
        body = application(environ, lambda code, headers, *rest: status.append(code))
        content = b"".join(body)
        if hasattr(body, "close"):
            body.close()
    return int(status[0].split()[0]), content, len(queries)
