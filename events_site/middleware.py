"""What visitors see when the database drops away for a moment (a PostgreSQL restart, a failover).

A request that loses its database connection (``OperationalError``/``InterfaceError`` from the view
or from rendering its page) is, if it only reads (GET or HEAD), answered again once on a fresh
connection: a connection that broke while idle is the usual case, and the second try succeeds. If
that fails too, or if the request writes, the answer is a plain "503 Service Unavailable" page with
``Retry-After``, never the 500 page: nothing is wrong with the request, it can be sent again.
"""

import logging

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.template import loader

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
DATABASE_GONE = (OperationalError, InterfaceError)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_GONE):
            return None
        close_broken_connections()
        if request.method in ("GET", "HEAD") and not getattr(request, "_database_retried", False):
            request._database_retried = True
            try:
                return answer_again(request)
            except DATABASE_GONE as error:
                exception = error
                close_broken_connections()
        logger.warning("Database unavailable (%s): answered 503.", exception.__class__.__name__)
        return unavailable(request)


def close_broken_connections():
    """Close the connections that no longer answer: the next query opens a fresh one."""
    for connection in connections.all(initialized_only=True):
        if connection.connection is not None and not connection.is_usable():
            connection.close()


def answer_again(request):
    """The view once more, its page rendered, on a fresh connection."""
    match = request.resolver_match
    response = match.func(request, *match.args, **match.kwargs)
    if hasattr(response, "render") and callable(response.render):
        response = response.render()
    return response


def unavailable(request):
    response = HttpResponse(loader.render_to_string("503.html", request=None), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
