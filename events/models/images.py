"""An image for an event or an article: a checked upload, its alt text, and resized renditions.

The editor uploads one image (JPEG, PNG, WebP or GIF, at most ``IMAGE_MAX_UPLOAD_SIZE``, at least
``MIN_WIDTH`` pixels wide, at most ``MAX_PIXELS`` in all: Pillow reads it to check, so a file that
only claims to be an image, or a "decompression bomb", is refused with a form error) and describes
it for people who cannot see it. When it is saved, Pillow writes JPEG renditions
``RENDITION_WIDTHS`` wide (never wider than the original) beside it, with the same name and
"-800w.jpg": pages offer them as ``srcset``, cards the small one, Open Graph and JSON-LD the large
one. Renditions are named from the original, so nothing else needs storing; they live in the
default storage, like documents (shared storage when there are several web servers).
"""

import io
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from ..uploads import refuse_if_larger

RENDITION_WIDTHS = (400, 800, 1600)
MIN_WIDTH = 400
MAX_PIXELS = 40_000_000  # 40 megapixels: a camera's photo, not a decompression bomb
FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
JPEG_QUALITY = 82


def validate_image(value):
    """Refuse a new upload that is too large, not an image Pillow can read, of another format, too
    small to show or too many pixels to open safely. Stored files are not read again."""
    if not value or getattr(value, "_committed", True):
        return
    name = PurePosixPath(value.name).name
    refuse_if_larger(value, name, settings.IMAGE_MAX_UPLOAD_SIZE, code="image_size")
    value.seek(0)
    try:
        with Image.open(value) as image:
            kind, (width, height) = image.format, image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _("“%(name)s” is %(width)s × %(height)s pixels; at most %(max)s million pixels, please."),
                    code="image_pixels",
                    params={"name": name, "width": width, "height": height, "max": MAX_PIXELS // 1_000_000},
                )
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValidationError(
            _("“%(name)s” is not an image this site can read. Upload a JPEG, PNG, WebP or GIF."),
            code="image_unreadable",
            params={"name": name},
        ) from error
    finally:
        value.seek(0)
    if kind not in FORMATS:
        raise ValidationError(
            _("“%(name)s” is a %(kind)s image. Upload a JPEG, PNG, WebP or GIF."),
            code="image_format",
            params={"name": name, "kind": kind},
        )
    if width < MIN_WIDTH:
        raise ValidationError(
            _("“%(name)s” is only %(width)s pixels wide; at least %(min)s, please, so that it stays sharp."),
            code="image_small",
            params={"name": name, "width": width, "min": MIN_WIDTH},
        )


def image_upload_to(instance, filename):
    """images/<model>/<safe file name>: the storage adds a suffix when the name is taken."""
    stem = PurePosixPath(filename).stem
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in stem).strip("-")[:80] or "image"
    return f"images/{instance._meta.model_name}/{safe}{PurePosixPath(filename).suffix.lower()}"


def rendition_name(original, width):
    path = PurePosixPath(original)
    return str(path.with_name(f"{path.stem}-{width}w.jpg"))


def rendition_widths(original_width):
    """The widths written for an original: each of ``RENDITION_WIDTHS`` it reaches, and at least
    the smallest (an image just over ``MIN_WIDTH`` wide gets one rendition, its own width)."""
    widths = [width for width in RENDITION_WIDTHS if width <= original_width]
    return widths or [original_width]


def write_renditions(field_file):
    """Write the JPEG renditions of a stored image (over any of the same names)."""
    field_file.open("rb")
    try:
        with Image.open(field_file) as opened:
            image = ImageOps.exif_transpose(opened)
            if image.mode not in ("RGB", "L"):
                background = Image.new("RGB", image.size, "white")
                background.paste(image.convert("RGBA"), mask=image.convert("RGBA").getchannel("A"))
                image = background
            for width in rendition_widths(image.width):
                height = round(image.height * width / image.width)
                resized = image.resize((width, height), Image.Resampling.LANCZOS)
                buffer = io.BytesIO()
                resized.convert("RGB").save(
                    buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True
                )
                name = rendition_name(field_file.name, width)
                if default_storage.exists(name):
                    default_storage.delete(name)
                default_storage.save(name, ContentFile(buffer.getvalue()))
    finally:
        field_file.close()


class Illustrated(models.Model):
    """An optional image with its alt text and renditions (events and articles)."""

    image = models.ImageField(
        upload_to=image_upload_to,
        blank=True,
        width_field="image_width",
        height_field="image_height",
        validators=[validate_image],
        help_text=format_lazy(
            _(
                "A photo or picture for the page, lists and link previews: JPEG, PNG, WebP or GIF, at "
                "least {width} pixels wide."
            ),
            width=MIN_WIDTH,
        ),
        verbose_name=_("image"),
    )
    image_alt = models.CharField(
        _("image description"),
        max_length=300,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it (read out by screen readers)."),
    )
    image_width = models.PositiveIntegerField(
        null=True, blank=True, editable=False, verbose_name=_("image width")
    )
    image_height = models.PositiveIntegerField(
        null=True, blank=True, editable=False, verbose_name=_("image height")
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.image_written()

    def image_written(self):
        """After the row is written: the renditions of an image that is new or changed."""
        stored = str(self.image) if self.image else ""
        if stored and stored != str(getattr(self, "_image_when_loaded", "") or ""):
            write_renditions(self.image)
        self._image_when_loaded = stored

    @classmethod
    def from_db(cls, db, field_names, values):
        row = super().from_db(db, field_names, values)
        row._image_when_loaded = row.__dict__.get("image")
        return row

    def image_errors(self):
        """{field: [error]} for ``clean()`` to report with the row's other problems."""
        if self.image and not self.image_alt.strip():
            return {
                "image_alt": [
                    ValidationError(_("Describe the image for people who cannot see it."), code="image_alt")
                ]
            }
        return {}

    @property
    def image_renditions(self):
        """[(width, url), ...], narrowest first; empty without an image."""
        if not self.image or not self.image_width:
            return []
        return [
            (width, default_storage.url(rendition_name(self.image.name, width)))
            for width in rendition_widths(self.image_width)
        ]

    @property
    def image_srcset(self):
        return ", ".join(f"{url} {width}w" for width, url in self.image_renditions)

    @property
    def image_url(self):
        """The widest rendition (pages, Open Graph, JSON-LD)."""
        renditions = self.image_renditions
        return renditions[-1][1] if renditions else ""

    @property
    def image_thumbnail_url(self):
        """The narrowest rendition (cards)."""
        renditions = self.image_renditions
        return renditions[0][1] if renditions else ""

    @property
    def image_display_height(self):
        """The height of the widest rendition, for the ``<img>``'s width and height (no layout shift)."""
        if not self.image_width:
            return None
        width = rendition_widths(self.image_width)[-1]
        return round(self.image_height * width / self.image_width)

    @property
    def image_display_width(self):
        return rendition_widths(self.image_width)[-1] if self.image_width else None
