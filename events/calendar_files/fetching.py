"""Fetching a calendar file from an address, for the admin's "Import .ics" and ``manage.py import_ics``.

An editor's address is fetched by the server, so it must not reach what only the server can: the
admin refuses any scheme but http and https (webcal:// is read as https://), any host that
resolves to a loopback, private, link-local or otherwise non-public address, and it connects to
the very address it checked (a name that resolves differently a moment later, "DNS rebinding",
gains nothing). Each redirect is checked the same way. A file larger than the import limit
(``settings.ICS_IMPORT_MAX_BYTES``: refused as soon as its bytes pass it) and a fetch that takes
longer than ``FETCH_SECONDS`` in all are refused. Every refusal is a ``CalendarFetchError`` with a
sentence for the editor.
"""

import http.client
import ipaddress
import socket
import ssl
import time
from urllib.parse import urljoin, urlsplit

from django.utils.translation import gettext

from .reading import CalendarImportError, import_size_limit, read_at_most, too_large_message

FETCH_SECONDS = 20  # the whole fetch, redirects and slow servers included
MAX_REDIRECTS = 3
USER_AGENT = "events-site calendar import"


class CalendarFetchError(ValueError):
    """The address could not or may not be fetched; the message says why, for the editor."""


def is_public_address(address):
    """Whether an IP address is on the public internet (not loopback, private, link-local, ...)."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def http_address(url):
    """A subscription link (webcal://) as the https:// address of the same file; others as given."""
    return "https://" + url.removeprefix("webcal://") if url.startswith("webcal://") else url


def _target(url):
    """(scheme, host, port, path) of an address the fetcher may use, or CalendarFetchError."""
    parts = urlsplit(http_address(url))
    if parts.scheme not in ("http", "https"):
        raise CalendarFetchError(
            gettext("Give an address that starts with http:// or https:// (or webcal://).")
        )
    if not parts.hostname:
        raise CalendarFetchError(gettext("The address names no server."))
    if parts.username or parts.password:
        raise CalendarFetchError(gettext("Give the address without a user name or password in it."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise CalendarFetchError(gettext("The address has an invalid port.")) from error
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port, path


def _public_address_of(host, port, *, allow_private):
    """The address to connect to: the host's first, after checking all of them."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise CalendarFetchError(
            gettext("The server “%(host)s” could not be found.") % {"host": host}
        ) from error
    addresses = [info[4][0] for info in found]
    if not allow_private and not all(is_public_address(address) for address in addresses):
        raise CalendarFetchError(
            gettext(
                "“%(host)s” is a local or private address; only calendars "
                "on the public internet can be imported."
            )
            % {"host": host}
        )
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self):
        raw = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)


def fetch_calendar(url, *, allow_private=False, max_bytes=None, seconds=FETCH_SECONDS):
    """The bytes at ``url`` (following up to ``MAX_REDIRECTS`` redirects), or CalendarFetchError.
    ``max_bytes`` defaults to the import limit (``settings.ICS_IMPORT_MAX_BYTES``)."""
    max_bytes = max_bytes or import_size_limit()
    deadline = time.monotonic() + seconds
    for _ in range(MAX_REDIRECTS + 1):
        scheme, host, port, path = _target(url)
        address = _public_address_of(host, port, allow_private=allow_private)
        connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
        connection = connection_class(host, port, address, timeout=_left(deadline))
        try:
            headers = {"User-Agent": USER_AGENT, "Accept": "text/calendar, */*"}
            connection.request("GET", path, headers=headers)
            sock = connection.sock  # kept: the connection lets go of it once the answer says "close"
            response = connection.getresponse()
            if response.status in (301, 302, 303, 307, 308) and response.getheader("Location"):
                url = urljoin(url, response.getheader("Location"))
                continue
            if response.status != 200:
                raise CalendarFetchError(
                    gettext("The server answered %(status)s %(reason)s.")
                    % {"status": response.status, "reason": response.reason}
                )
            return _read_body(sock, response, deadline, max_bytes)
        except (OSError, http.client.HTTPException) as error:
            if isinstance(error, TimeoutError) or "timed out" in str(error):
                raise CalendarFetchError(
                    gettext("The server took longer than %(seconds)s seconds.") % {"seconds": seconds}
                ) from error
            raise CalendarFetchError(
                gettext("The address could not be fetched (%(error)s).") % {"error": error}
            ) from error
        finally:
            connection.close()
    raise CalendarFetchError(
        gettext("The address redirects more than %(count)s times.") % {"count": MAX_REDIRECTS}
    )


def _left(deadline):
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("timed out")
    return left


def _read_body(sock, response, deadline, max_bytes):
    """The body, in chunks, each read with the time left as its socket timeout."""
    length = response.getheader("Content-Length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise CalendarFetchError(too_large_message(max_bytes))

    def chunks():
        while True:
            sock.settimeout(_left(deadline))
            chunk = response.read1(64 * 1024)  # what one read gives: the time left is checked between
            if not chunk:
                return
            yield chunk

    try:
        return read_at_most(chunks(), max_bytes)
    except CalendarImportError as error:
        raise CalendarFetchError(error.problems[0]) from error
