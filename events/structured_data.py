"""schema.org JSON-LD for event and article pages, built as plain dicts (rendered by ``json_ld``).

Google's and schema.org's Event: all-day events give plain dates (the end is the last day,
inclusive); timed events give ISO 8601 instants with the event's own UTC offset.
"""

from decimal import Decimal

from django.conf import settings

from events_site.rich_text import to_plain_text
from events_site.safe_urls import safe


def _absolute(base_url, path):
    return f"{base_url.rstrip('/')}{path}"


def _place(venue):
    place = {"@type": "Place", "name": venue.name}
    address = {
        key: value
        for key, value in (
            ("streetAddress", venue.address),
            ("addressLocality", venue.city),
            ("addressCountry", venue.country),
        )
        if value
    }
    if address:
        place["address"] = {"@type": "PostalAddress", **address}
    if venue.latitude is not None and venue.longitude is not None:
        place["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(venue.latitude),
            "longitude": float(venue.longitude),
        }
    if safe(venue.url):
        place["url"] = venue.url
    return place


def _images(item, base_url):
    """An event's or article's image renditions as absolute addresses, the widest first."""
    return [_absolute(base_url, url) for _, url in reversed(item.image_renditions)]


def _virtual_location(event, page_url):
    # A VirtualLocation needs a url; without a public join link the event page is where to learn how.
    location = {"@type": "VirtualLocation", "url": safe(event.online_url) or page_url}
    if event.online_platform:
        location["name"] = event.online_platform
    return location


AVAILABILITY_OPEN = "https://schema.org/InStock"
AVAILABILITY_CLOSED = "https://schema.org/SoldOut"


def _offers(event, page_url):
    """The ``Offer`` Google's event results ask for: price and currency (0 for a free event),
    availability (open while registration is, else sold out), the time it is valid from (when the
    event was announced: the site knows no other start of sales) and through (the registration
    deadline, else the event's end), and where to register."""
    if event.is_free:
        price = 0
    elif event.cost_amount is not None:
        price = str(event.cost_amount.quantize(Decimal("0.01")))
    else:
        return None
    offer = {
        "@type": "Offer",
        "price": price,
        "priceCurrency": event.cost_currency or settings.DEFAULT_CURRENCY,
        "url": safe(event.registration_url) or page_url,
        "availability": AVAILABILITY_OPEN if event.registration_is_open() else AVAILABILITY_CLOSED,
    }
    if event.created_at < event.start:  # not for events entered after they took place
        offer["validFrom"] = event.created_at.astimezone(event.zone).isoformat()
    closes = event.registration_deadline or event.end
    offer["validThrough"] = closes.astimezone(event.zone).isoformat()
    return offer


def iso_dates(event):
    """(start, end) in ISO 8601 as schema.org and the RSS event module want them: the first and
    last dates of an all-day event (end inclusive), or instants with the event's own offset."""
    if event.all_day:
        return event.start_date.isoformat(), event.end_date.isoformat()
    return event.local_start.isoformat(), event.local_end.isoformat()


def event_data(event, base_url):
    """The schema.org ``Event`` of ``event``; ``base_url`` is the site's origin ("https://host")."""
    page_url = _absolute(base_url, event.get_absolute_url())
    start, end = iso_dates(event)
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "url": page_url,
        "startDate": start,
        "endDate": end,
        "eventStatus": event.schema_org_status,
        "eventAttendanceMode": event.schema_org_attendance_mode,
    }
    description = event.summary or to_plain_text(event.description)
    if description:
        data["description"] = description
    locations = []
    if event.is_in_person and event.venue:
        locations.append(_place(event.venue))
    if event.is_online:
        locations.append(_virtual_location(event, page_url))
    if locations:
        data["location"] = locations[0] if len(locations) == 1 else locations
    if event.organizer:
        data["organizer"] = {
            "@type": "Organization",
            "name": event.organizer.name,
            # Its own website, else its page here (which lists its events and contact).
            "url": safe(event.organizer.url) or _absolute(base_url, event.organizer.get_absolute_url()),
        }
    if offers := _offers(event, page_url):
        data["offers"] = offers
    if images := _images(event, base_url):
        data["image"] = images
    return data


def article_data(article, base_url):
    """The schema.org ``NewsArticle`` of ``article``."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "url": _absolute(base_url, article.get_absolute_url()),
        "mainEntityOfPage": _absolute(base_url, article.get_absolute_url()),
        "dateModified": article.updated_at.isoformat(),
    }
    if article.published_at:
        data["datePublished"] = article.published_at.isoformat()
    if article.summary:
        data["description"] = article.summary
    if images := _images(article, base_url):
        data["image"] = images
    return data
