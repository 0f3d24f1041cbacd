"""附件：整治前后对比 — the briefing's annex of before/after photos of the remediation projects (长效机制).

Plain data in, Blocks out (no Django): each place of each project is one image — its earliest photo on the
left, its latest on the right (tiaodu.progress.before_after: photos within 50 m of the place's first
photo, taken on different days) — with a caption naming the place and both dates. The pair is put side
by side here with Pillow, so the Word and the PDF renderers show it as any other picture.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from tiaodu.briefings.content import Block

TITLE = "附件：整治前后对比"
PAIR_HEIGHT_PX = 480  # each photo scaled to this height
GAP_PX = 16
WIDTH_MM = 150


@dataclass(frozen=True)
class AnnexPlace:
    code: str
    project: str  # its name
    number: int  # 地点N within the project
    before_day: datetime.date
    after_day: datetime.date
    before: bytes  # image files (JPEG/PNG)
    after: bytes


def _date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def side_by_side(before: bytes, after: bytes) -> bytes:
    """One PNG: the two photos at the same height, a white gap between them."""
    from PIL import Image

    images = []
    for data in (before, after):
        with Image.open(io.BytesIO(data)) as im:
            im = im.convert("RGB")
            width = max(1, round(im.width * PAIR_HEIGHT_PX / max(1, im.height)))
            images.append(im.resize((width, PAIR_HEIGHT_PX)))
    canvas = Image.new("RGB", (images[0].width + GAP_PX + images[1].width, PAIR_HEIGHT_PX), "white")
    canvas.paste(images[0], (0, 0))
    canvas.paste(images[1], (images[0].width + GAP_PX, 0))
    out = io.BytesIO()
    canvas.save(out, format="PNG")  # the default zlib level: optimize=True took 4× as long for 3 % less
    return out.getvalue()


def _pair_image(place: AnnexPlace) -> bytes | None:
    from PIL import Image

    try:
        return side_by_side(place.before, place.after)
    except (OSError, ValueError, Image.DecompressionBombError):
        return None


def annex_blocks(places: list[AnnexPlace]) -> list[Block]:
    """The annex (nothing when no remediation project has a pair yet)."""
    if not places:
        return []
    blocks = [
        Block("h1", text=TITLE),
        Block(
            "p",
            text="同一地点（相距50米以内）最早与最新的现场照片左右对照，左为整治前，右为最新（整治后）。",
        ),
    ]
    current = None
    for place in places:
        image = _pair_image(place)
        if image is None:
            continue  # a photo file that cannot be read: that place is left out, not the briefing
        if place.code != current:
            blocks.append(Block("h2", text=f"{place.project}（{place.code}）"))
            current = place.code
        caption = f"地点{place.number}：左 {_date(place.before_day)}，右 {_date(place.after_day)}"
        blocks.append(
            Block(
                "image",
                image=image,
                image_name=f"before_after_{place.code}_{place.number}.png",
                width_mm=WIDTH_MM,
                caption=caption,
            )
        )
    return blocks
