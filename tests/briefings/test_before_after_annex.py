"""附件：整治前后对比 in the briefing: the remediation project's before/after pair, side by side in the Word
file (read back: the picture and its caption) and in the PDF."""

import io
import re
import subprocess

import docx
import pytest
from PIL import Image

from tests.command.conftest import TODAY, remediation_project
from tiaodu.briefings.before_after_annex import PAIR_HEIGHT_PX, TITLE, annex_blocks
from tiaodu.briefings.services import briefing_generate

pytestmark = pytest.mark.django_db


def _pictures(document) -> list[bytes]:
    return [rel.target_part.blob for rel in document.part.rels.values() if rel.reltype.endswith("/image")]


def test_the_briefing_annex_shows_the_pair_side_by_side(district, frozen, tmp_path):
    remediation_remaining = remediation_project(district)
    result = briefing_generate(as_of=TODAY, user=district.users["office"])
    document = docx.Document(io.BytesIO(result.docx.file.read()))
    paragraphs = [p.text for p in document.paragraphs]
    assert TITLE in paragraphs
    at = paragraphs.index(TITLE)
    annex = "\n".join(paragraphs[at:])
    assert f"{remediation_remaining.name}（{remediation_remaining.code}）" in annex
    assert "地点1：左 2026年10月9日，右 2026年11月20日" in annex
    assert "地点2" not in annex
    # the annex's picture: two photos side by side (wider than high), the before (brown) left, after (green) right
    pairs = []
    for blob in _pictures(document):
        with Image.open(io.BytesIO(blob)) as im:
            if im.height == PAIR_HEIGHT_PX:
                rgb = im.convert("RGB")
                pairs.append(
                    (rgb.getpixel((5, im.height // 2)), rgb.getpixel((im.width - 5, im.height // 2)))
                )
    assert len(pairs) == 1
    (left, right) = pairs[0]
    assert left[0] > left[1] and right[1] > right[0], (left, right)
    path = tmp_path / "b.pdf"
    path.write_bytes(result.pdf.file.read())
    text = re.sub(
        r"\s+", "", subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    )
    assert "附件：整治前后对比" in text and "地点1：左2026年10月9日，右2026年11月20日" in text


def test_no_annex_without_a_pair(district, frozen):
    assert annex_blocks([]) == []
    result = briefing_generate(as_of=TODAY, user=district.users["office"])
    document = docx.Document(io.BytesIO(result.docx.file.read()))
    assert TITLE not in [p.text for p in document.paragraphs]


def test_the_annex_shows_only_verified_photos_and_skips_an_unreadable_one(district, frozen):
    from tiaodu.briefings.before_after_annex import AnnexPlace
    from tiaodu.progress.models import Report, ReportStatus

    project = remediation_project(district)
    # the later report taken back to 已提交 (not yet verified): its photo is no evidence for the briefing yet
    later = Report.objects.filter(project=project, status=ReportStatus.VERIFIED).order_by("-as_of").first()
    Report.objects.filter(pk=later.pk).update(status=ReportStatus.SUBMITTED)
    result = briefing_generate(as_of=TODAY, user=district.users["office"])
    document = docx.Document(io.BytesIO(result.docx.file.read()))
    assert TITLE not in [p.text for p in document.paragraphs]
    # a photo file that is not an image leaves that place out, not the whole annex
    good = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(good, format="PNG")
    places = [
        AnnexPlace("ZZ-9", "甲", 1, TODAY, TODAY, b"not an image", good.getvalue()),
        AnnexPlace("ZZ-9", "甲", 2, TODAY, TODAY, good.getvalue(), good.getvalue()),
    ]
    blocks = annex_blocks(places)
    assert [b.kind for b in blocks].count("image") == 1 and [b.kind for b in blocks].count("h2") == 1


def _photo(color, size) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, color)
    for x in range(0, size[0], 7):  # some detail, so that the compression has something to do
        for y in range(0, size[1], 5):
            image.putpixel((x, y), ((x * 3) % 256, (y * 5) % 256, (x + y) % 256))
    image.save(out, format="JPEG", quality=90)
    return out.getvalue()


def test_the_pair_image_has_the_pixels_of_the_optimized_png_it_replaces():
    """Issue 16: the pair is saved at zlib's default level instead of optimize=True (4× faster); the
    picture read back from the file is pixel for pixel the one the old way wrote."""
    from tiaodu.briefings.before_after_annex import GAP_PX, side_by_side

    before, after = _photo((140, 90, 40), (640, 480)), _photo((40, 150, 60), (900, 600))
    new = side_by_side(before, after)
    images = []
    for data in (before, after):
        with Image.open(io.BytesIO(data)) as im:
            im = im.convert("RGB")
            images.append(im.resize((round(im.width * PAIR_HEIGHT_PX / im.height), PAIR_HEIGHT_PX)))
    old_canvas = Image.new("RGB", (images[0].width + GAP_PX + images[1].width, PAIR_HEIGHT_PX), "white")
    old_canvas.paste(images[0], (0, 0))
    old_canvas.paste(images[1], (images[0].width + GAP_PX, 0))
    old = io.BytesIO()
    old_canvas.save(old, format="PNG", optimize=True)
    with Image.open(io.BytesIO(new)) as a, Image.open(io.BytesIO(old.getvalue())) as b:
        assert a.format == b.format == "PNG"
        assert (a.size, a.mode) == (b.size, b.mode) == ((640 + GAP_PX + 720, PAIR_HEIGHT_PX), "RGB")
        assert a.tobytes() == b.tobytes()
