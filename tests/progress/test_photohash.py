"""The perceptual hash of photos and its banded search (pure)."""

import io
import random

from PIL import Image, ImageDraw

from tiaodu.progress import photohash


def _picture(seed: int, size=(320, 240)) -> Image.Image:
    rng = random.Random(seed)
    image = Image.new("RGB", size, (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    pen = ImageDraw.Draw(image)
    for _ in range(15):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        pen.ellipse(
            (x, y, x + rng.randrange(20, 160), y + rng.randrange(20, 120)), fill=(rng.randrange(256),) * 3
        )
    return image


def test_a_resized_recompressed_copy_stays_close_and_another_picture_does_not():
    original = _picture(1)
    buf = io.BytesIO()
    original.resize((160, 120)).save(buf, format="JPEG", quality=40)
    copy = Image.open(io.BytesIO(buf.getvalue()))
    assert photohash.distance(photohash.dhash(original), photohash.dhash(copy)) <= 6
    assert photohash.distance(photohash.dhash(original), photohash.dhash(_picture(2))) > 6


def test_every_hash_within_seven_bits_is_found_through_the_probes():
    rng = random.Random(5)
    for _ in range(2000):
        a = rng.getrandbits(64)
        b = a
        for bit in rng.sample(range(64), rng.randrange(0, photohash.MAX_DISTANCE + 1)):
            b ^= 1 << bit
        probes = [set(photohash.probes(v)) for v in photohash.bands(a)]
        assert any(v in probes[i] for i, v in enumerate(photohash.bands(b)))


def test_signed_storage_keeps_every_bit():
    for value in (0, 1, 2**63, 2**64 - 1, 0x8000_0000_0000_0001):
        stored = photohash.hash_fields(value)
        assert -(2**63) <= stored["phash"] < 2**63
        assert photohash.to_unsigned(stored["phash"]) == value
        assert photohash.distance(stored["phash"], value) == 0
