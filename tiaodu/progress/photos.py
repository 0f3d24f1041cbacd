"""Site photos of a report: checked by content, EXIF time and GPS read, stored re-encoded without metadata."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import filetype
from django.core.exceptions import ValidationError
from django.utils import timezone
from PIL import Image, ImageOps, UnidentifiedImageError

from tiaodu.core.uploads import check_upload_size, too_large_message, upload_limit

TYPES = {"image/jpeg": "JPEG", "image/png": "PNG"}

EXIF_IFD = 0x8769
GPS_IFD = 0x8825
DATETIME_ORIGINAL = 36867
DATETIME_DIGITIZED = 36868
DATETIME = 306


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


def _name(uploaded) -> str:
    return (getattr(uploaded, "name", "") or "照片").rsplit("/", 1)[-1][:200]


def _exif_datetime(exif) -> datetime.datetime | None:
    values = []
    try:
        sub = exif.get_ifd(EXIF_IFD)
        values += [sub.get(DATETIME_ORIGINAL), sub.get(DATETIME_DIGITIZED)]
    except Exception:  # a broken sub-IFD: no time rather than no photo
        pass
    values.append(exif.get(DATETIME))
    for value in values:
        if not value:
            continue
        text = value.decode("ascii", "ignore") if isinstance(value, bytes) else str(value)
        text = text.strip("\x00 ")
        try:
            naive = datetime.datetime.strptime(text[:19], "%Y:%m:%d %H:%M:%S")
        except ValueError:
            continue
        return timezone.make_aware(naive, timezone.get_current_timezone())
    return None


def _degrees(value, ref) -> Decimal | None:
    try:
        d, m, s = (float(v) for v in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    degrees = d + m / 60 + s / 3600
    ref = ref.decode("ascii", "ignore") if isinstance(ref, bytes) else str(ref or "")
    if ref.strip().upper() in ("S", "W"):
        degrees = -degrees
    return Decimal(str(degrees)).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


def _exif_gps(exif) -> tuple[Decimal | None, Decimal | None]:
    try:
        gps = exif.get_ifd(GPS_IFD)
    except Exception:
        return None, None
    if not gps:
        return None, None
    lat = _degrees(gps.get(2), gps.get(1))
    lon = _degrees(gps.get(4), gps.get(3))
    if lat is None or lon is None or not (-90 <= lat <= 90) or not (-180 <= lon <= 180):
        return None, None
    return lat, lon


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
        with Image.open(io.BytesIO(data)) as img:
            if img.format not in TYPES.values():
                raise ValidationError({"photos": f"照片「{name}」须为JPEG或PNG图片"})
            img.load()
            exif = img.getexif()
            taken_at = _exif_datetime(exif)
            latitude, longitude = _exif_gps(exif)
            # Turn the pixels the way the camera meant, then write them alone: no EXIF, no GPS, no comments.
            clean = ImageOps.exif_transpose(img)
            out = io.BytesIO()
            if kind.mime == "image/png":
                clean.save(out, format="PNG")
            else:
                if clean.mode not in ("RGB", "L"):
                    clean = clean.convert("RGB")
                clean.save(out, format="JPEG", quality=88, optimize=True)
            width, height = clean.size
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        raise ValidationError({"photos": f"照片「{name}」像素过多，无法处理"})
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombWarning):
        raise ValidationError({"photos": f"照片「{name}」已损坏，无法读取"})
    return PhotoData(
        content=out.getvalue(),
        content_type=kind.mime,
        original_name=name,
        width=width,
        height=height,
        taken_at=taken_at,
        latitude=latitude,
        longitude=longitude,
    )
