"""What editors may upload as event documents: a few known types, by extension and by content."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Office (.doc, .xls, .ppt)
ZIP = b"PK\x03\x04"  # Office Open XML and OpenDocument are zip archives

# Extension -> the signatures its first bytes may start with.
SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".doc": (OLE,),
    ".xls": (OLE,),
    ".ppt": (OLE,),
    ".docx": (ZIP,),
    ".xlsx": (ZIP,),
    ".pptx": (ZIP,),
    ".odt": (ZIP,),
    ".ods": (ZIP,),
    ".odp": (ZIP,),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
}
# A browser that is shown the file may sniff it as a web page if it holds HTML early on, whatever
# its first bytes claim: such a file is refused (a real PDF or picture has no reason to hold these).
HTML_MARKERS = (b"<html", b"<!doctype html", b"<script", b"<body", b"<svg", b"<iframe")
SNIFFED_BYTES = 1024

ALLOWED_TYPES_TEXT = "PDF, Word, Excel, PowerPoint, OpenDocument (odt, ods, odp), PNG, JPEG, GIF or WebP"


def refuse_if_larger(value, name, limit, *, code):
    """The size check of every upload (documents, images): an error naming the file, its size and
    the limit."""
    if value.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; the limit is %(limit)s."),
            code=code,
            params={"name": name, "size": filesizeformat(value.size), "limit": filesizeformat(limit)},
        )


def validate_document_file(value):
    """Refuse new uploads that are too large, of another type, or whose content does not match their name.

    Files already stored are not read again: they passed when they were uploaded.
    """
    if not value or getattr(value, "_committed", True):
        return
    name = Path(value.name).name
    extension = Path(name).suffix.lower()
    if extension not in SIGNATURES:
        raise ValidationError(
            _("“%(name)s” is not an allowed type. Upload a %(allowed)s file."),
            code="document_type",
            params={"name": name, "allowed": ALLOWED_TYPES_TEXT},
        )
    refuse_if_larger(value, name, settings.DOCUMENT_MAX_UPLOAD_SIZE, code="document_size")
    value.seek(0)
    start = value.read(SNIFFED_BYTES)
    value.seek(0)
    head = start[:16]
    if not head.startswith(SIGNATURES[extension]) or (extension == ".webp" and head[8:12] != b"WEBP"):
        raise ValidationError(
            _(
                "“%(name)s” does not contain what its name says (%(extension)s). "
                "Check the file and upload it again."
            ),
            code="document_content",
            params={"name": name, "extension": extension},
        )
    if any(marker in start.lower() for marker in HTML_MARKERS):
        raise ValidationError(
            _("“%(name)s” contains a web page, not a document. Upload the document itself."),
            code="document_html",
            params={"name": name},
        )
