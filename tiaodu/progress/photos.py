"""Site photos of a report: checked by content, EXIF time and GPS read, perceptual hash computed, stored
re-encoded without metadata."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

import filetype
from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

from tiaodu.core.images import ImageRefused, exif_datetime, exif_gps, open_image, reencode
from tiaodu.core.uploads import check_upload_size, too_large_message, upload_limit
from tiaodu.progress.photohash import dhash

TYPES = {"image/jpeg": "JPEG", "image/png": "PNG"}


@dataclass
class PhotoData:
    content: bytes
    content_type: str
    original_name: str
    width: int
    height: int
    taken_at: datetime.datetime | None
    latitude: Decimal | None
    longitude: Decimal | None
    phash: int | None = None  # the 64-bit perceptual hash (photohash.dhash), unsigned


def _name(uploaded) -> str:
    return (getattr(uploaded, "name", "") or "照片").rsplit("/", 1)[-1][:200]


def photo_read(uploaded) -> PhotoData:
    """Check an uploaded photo and return it re-encoded without metadata; ValidationError for the user."""
    name = _name(uploaded)
    what = f"照片「{name}」"
    check_upload_size(getattr(uploaded, "size", None), setting="PHOTO_MAX_BYTES", what=what, field="photos")
    limit = upload_limit("PHOTO_MAX_BYTES")
    data = uploaded.read(limit + 1)
    if len(data) > limit:
        raise ValidationError({"photos": too_large_message(setting="PHOTO_MAX_BYTES", what=what)})
    kind = filetype.guess(data[:8192])
    if kind is None or kind.mime not in TYPES:
        found = kind.mime if kind else "无法识别"
        raise ValidationError({"photos": f"照片「{name}」须为JPEG或PNG图片（按内容识别为：{found}）"})
    try:
        with open_image(io.BytesIO(data)) as img:
            if img.format not in TYPES.values():
                raise ValidationError({"photos": f"照片「{name}」须为JPEG或PNG图片"})
            img.load()
            exif = img.getexif()
            taken_at = exif_datetime(exif)
            latitude, longitude = exif_gps(exif)
            phash = dhash(img)
            # Turn the pixels the way the camera meant, then write them alone: no EXIF, no GPS, no comments.
            content, width, height = reencode(img, TYPES[kind.mime])
    except ValidationError:
        raise
    except ImageRefused as exc:
        raise ValidationError({"photos": f"照片「{name}」{exc}"}) from None
    except Image.DecompressionBombError:
        raise ValidationError({"photos": f"照片「{name}」像素过多，无法处理"}) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombWarning):
        raise ValidationError({"photos": f"照片「{name}」已损坏，无法读取"}) from None
    return PhotoData(
        content=content,
        content_type=kind.mime,
        original_name=name,
        width=width,
        height=height,
        taken_at=taken_at,
        latitude=latitude,
        longitude=longitude,
        phash=phash,
    )
