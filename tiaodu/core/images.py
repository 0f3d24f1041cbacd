"""Uploaded images, opened with a bounded cost and stored without their metadata.

``open_image`` reads only the header and refuses an image of more than ``IMAGE_MAX_PIXELS`` pixels
(setting, from ``IMAGE_MAX_MEGAPIXELS`` in the environment, default 50 MP) before any pixel is
decoded. Pillow's own guard warns from 89 MP and fails from 179 MP; the warning is turned into a
refusal too, so no image inside Pillow's warning band gets through whatever the setting.

``reencode`` writes the pixels alone (turned the way the camera meant): no EXIF, no GPS, no comments.
``exif_datetime`` and ``exif_gps`` read the time and place first, kept as data beside the file (report
photos, supervision photos, images in the document center).
"""

from __future__ import annotations

import datetime
import io
import warnings
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import timezone
from PIL import Image, ImageOps

EXIF_IFD = 0x8769
GPS_IFD = 0x8825
DATETIME_ORIGINAL = 36867
DATETIME_DIGITIZED = 36868
DATETIME = 306
DEFAULT_MAX_PIXELS = 50_000_000


class ImageRefused(ValueError):
    """The image may not be opened; the message says why, in Chinese (without the file's name)."""


def max_pixels() -> int:
    return int(getattr(settings, "IMAGE_MAX_PIXELS", DEFAULT_MAX_PIXELS))


def pixels_text(count: int) -> str:
    """ "5000万像素", "800像素"."""
    return f"{count / 10000:.0f}万像素" if count >= 10000 else f"{count}像素"


def shown_limit() -> int:
    """The limit users are told: the setting, or Pillow's warning threshold when that is lower."""
    return min(max_pixels(), Image.MAX_IMAGE_PIXELS or max_pixels())


def pixel_problem(width: int, height: int, *, limit: int | None = None) -> str | None:
    limit = max_pixels() if limit is None else limit
    if width * height <= limit:
        return None
    return (
        f"图片像素过多（{width}×{height}，约{pixels_text(width * height)}），"
        f"不能超过{pixels_text(shown_limit())}，请缩小后上传"
    )


def open_image(fp) -> Image.Image:
    """The image (header read, pixels not yet decoded); ImageRefused when it has too many pixels
    (more than the setting, or enough for Pillow to warn). Pillow's errors for broken files pass
    through (UnidentifiedImageError, OSError…)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", Image.DecompressionBombWarning)
        try:
            image = Image.open(fp)
        except Image.DecompressionBombError:
            raise ImageRefused(f"图片像素过多，不能超过{pixels_text(shown_limit())}，请缩小后上传") from None
    warned = any(issubclass(w.category, Image.DecompressionBombWarning) for w in caught)
    problem = pixel_problem(*image.size, limit=0 if warned else None)
    if problem:
        image.close()
        raise ImageRefused(problem)
    return image


def reencode(image: Image.Image, fmt: str) -> tuple[bytes, int, int]:
    """(the pixels alone as PNG or JPEG, width, height) — no EXIF, no GPS, no comments."""
    clean = ImageOps.exif_transpose(image)
    out = io.BytesIO()
    if fmt.upper() == "PNG":
        clean.save(out, format="PNG")
    else:
        if clean.mode not in ("RGB", "L"):
            clean = clean.convert("RGB")
        clean.save(out, format="JPEG", quality=88, optimize=True)
    width, height = clean.size
    return out.getvalue(), width, height


def exif_datetime(exif) -> datetime.datetime | None:
    values = []
    try:
        sub = exif.get_ifd(EXIF_IFD)
        values += [sub.get(DATETIME_ORIGINAL), sub.get(DATETIME_DIGITIZED)]
    except Exception:  # noqa: BLE001 — a broken sub-IFD: no time rather than no photo
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
        if not (1900 <= naive.year <= 2100):
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
    try:
        return Decimal(str(degrees)).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)
    except ArithmeticError:
        return None


def exif_gps(exif) -> tuple[Decimal | None, Decimal | None]:
    try:
        gps = exif.get_ifd(GPS_IFD)
    except Exception:  # noqa: BLE001
        return None, None
    if not gps:
        return None, None
    lat = _degrees(gps.get(2), gps.get(1))
    lon = _degrees(gps.get(4), gps.get(3))
    if lat is None or lon is None or not (-90 <= lat <= 90) or not (-180 <= lon <= 180):
        return None, None
    return lat, lon
