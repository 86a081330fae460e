"""Links to other sites: only http, https and mailto addresses are ever stored or shown.

A ``javascript:`` (or ``data:``, ``vbscript:``...) address in a link runs in the visitor's browser
when clicked. The admin's forms refuse them already (``URLField``), but rows are also written by
imports, fixtures and the shell: ``SafeUrls.save()`` refuses them on every model that holds such
addresses, and the ``safe_url`` template filter (``events.templatetags.rich_text``) shows an
address only when its scheme is one of these, whatever is stored.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

SAFE_SCHEMES = {"http", "https", "mailto"}


def is_safe(url):
    """Whether ``url`` is empty, a path on this site, or an http, https or mailto address."""
    url = (url or "").strip()
    if not url or (url.startswith("/") and not url.startswith("//")):
        return True
    scheme = urlsplit(url).scheme.lower()
    # Browsers drop tabs and line breaks inside a scheme ("java\tscript:"): urlsplit does too.
    return scheme in SAFE_SCHEMES


def safe(url):
    """``url`` when it is safe to link, else ""."""
    return url if is_safe(url) else ""


class SafeUrls(models.Model):
    """Refuses, on every save, a link field whose address is not http, https or mailto."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.refuse_unsafe_urls()
        super().save(*args, **kwargs)

    def refuse_unsafe_urls(self):
        unsafe = {
            field.name: ValidationError(
                _("Only http, https or mailto addresses can be linked."), code="unsafe_url"
            )
            for field in self._meta.concrete_fields
            if isinstance(field, models.URLField) and not is_safe(getattr(self, field.attname))
        }
        if unsafe:
            raise ValidationError(unsafe)
