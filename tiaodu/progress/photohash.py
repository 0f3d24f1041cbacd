"""The perceptual hash of a site photo and the bands that index it. Pure (Pillow only).

dHash: the picture in 9×8 grey levels; each bit says whether a pixel is brighter than its right
neighbour — 64 bits that stay the same (or nearly) when a photo is re-encoded, resized or slightly
retouched. Two photos whose hashes differ in at most `MAX_DISTANCE` bits are taken as the same picture.

Search by multi-index hashing: the 64 bits are cut into 4 bands of 16 bits. Two hashes within distance
d ≤ 7 differ in at most ⌊d/4⌋ ≤ 1 bit in at least one band (pigeonhole), so looking up, in each band's
index, the band's value and its 16 one-bit neighbours (`probes`) finds every candidate; each is then
checked by counting differing bits. Against 100,000 random hashes that reads about 100 candidates a
photo (7 exact bands of 9–10 bits, the other classic split, read about 1,200).
"""

from __future__ import annotations

from PIL import Image, ImageOps

BAND_BITS = (16, 16, 16, 16)
BANDS = len(BAND_BITS)
RADIUS = 1  # bits flipped per band when probing
MAX_DISTANCE = BANDS * (RADIUS + 1) - 1  # 7: the largest distance the probes find every match for
_SIGN = 1 << 63


def dhash(image: Image.Image) -> int:
    """The 64-bit difference hash of an image (unsigned, 0 ≤ h < 2**64)."""
    grey = ImageOps.exif_transpose(image).convert("L").resize((9, 8), Image.Resampling.LANCZOS)
    pixels = grey.tobytes()  # one byte a pixel (mode L)
    value = 0
    for row in range(8):
        for col in range(8):
            left, right = pixels[row * 9 + col], pixels[row * 9 + col + 1]
            value = (value << 1) | (1 if left > right else 0)
    return value


def bands(value: int) -> tuple[int, ...]:
    """The 4 bands of an unsigned 64-bit hash, from the high bits down."""
    out = []
    shift = 64
    for bits in BAND_BITS:
        shift -= bits
        out.append((value >> shift) & ((1 << bits) - 1))
    return tuple(out)


def probes(band_value: int, bits: int = 16) -> list[int]:
    """The band's value and every value one bit away from it: what to look up in the band's index."""
    return [band_value, *(band_value ^ (1 << i) for i in range(bits))]


def to_signed(value: int) -> int:
    """An unsigned 64-bit hash as the signed integer a BIGINT column holds."""
    return value - (1 << 64) if value & _SIGN else value


def to_unsigned(value: int) -> int:
    return value & ((1 << 64) - 1)


def distance(a: int, b: int) -> int:
    """The number of differing bits of two hashes (signed or unsigned alike)."""
    return (to_unsigned(a) ^ to_unsigned(b)).bit_count()


def hash_fields(value: int | None) -> dict[str, int | None]:
    """The stored fields of a photo for an unsigned hash (None: no hash)."""
    if value is None:
        return {"phash": None, **{f"band{i}": None for i in range(BANDS)}}
    return {"phash": to_signed(value), **{f"band{i}": b for i, b in enumerate(bands(value))}}
