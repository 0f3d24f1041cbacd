"""Uploads with bounded cost: huge images, over-size documents, images' GPS, PDFs with scripts."""

import io
import struct
import zlib

import pytest
from django.test import Client
from PIL import Image

from tests.briefings.conftest import pdf_bytes, upload
from tiaodu.briefings.models import Document

MB = 1024 * 1024


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@pytest.fixture(scope="module")
def huge_png() -> bytes:
    """A real 12000×12000 grey PNG (144 MP; about 150 KB of file)."""
    width = height = 12000
    compressor = zlib.compressobj(9)
    row = b"\x00" * (width + 1)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def _client(district, key="hq"):
    client = Client()
    client.force_login(district.users[key])
    return client


@pytest.mark.django_db
def test_it_refuses_a_12000_by_12000_png_in_the_document_center(district, huge_png):
    response = _client(district).post("/api/v1/documents/", {"file": upload("现场.png", huge_png)})
    assert response.status_code == 400
    assert "图片像素过多（12000×12000" in response.json()["file"][0]
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_it_refuses_an_image_in_pillows_warning_band_whatever_the_setting(district, huge_png, settings):
    settings.IMAGE_MAX_PIXELS = 10**9  # Pillow warns from 89 MP: refused all the same
    response = _client(district).post("/api/v1/documents/", {"file": upload("现场.png", huge_png)})
    assert response.status_code == 400
    assert "图片像素过多（12000×12000，约14400万像素），不能超过8948万像素" in response.json()["file"][0]


@pytest.mark.django_db
def test_it_answers_a_51_mib_document_with_a_message_on_the_page_and_the_api(district):
    big = b"%PDF-1.4\n" + b"0" * (51 * MB)
    client = _client(district)
    response = client.post("/api/v1/documents/", {"file": upload("大文件.pdf", big)})
    assert response.status_code == 400
    assert "文件过大（51.0 MB），不能超过 50 MB" in response.json()["file"][0]
    page = client.post("/documents/upload/", {"file": upload("大文件.pdf", big), "title": "大文件"})
    assert page.status_code in (200, 400)
    assert "文件过大（51.0 MB），不能超过 50 MB" in page.content.decode()
    assert not Document.objects.exists()


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (10, 120, 30))
    exif = Image.Exif()
    exif[0x0132] = "2026:04:01 09:30:00"
    exif.get_ifd(0x8825).update({1: "N", 2: (36.0, 40.0, 15.0), 3: "E", 4: (117.0, 0.0, 30.0)})
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


@pytest.mark.django_db
def test_it_stores_document_center_images_without_gps_and_keeps_the_place_as_data(district):
    data = _jpeg_with_gps()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)
    response = _client(district).post("/api/v1/documents/", {"file": upload("现场.jpg", data)})
    assert response.status_code == 201, response.content
    document = Document.objects.get()
    stored = document.file.read()
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert b"Exif" not in stored[:200]
    assert float(document.latitude) == pytest.approx(36.670833, abs=1e-5)
    assert float(document.longitude) == pytest.approx(117.008333, abs=1e-5)
    assert document.taken_at is not None and document.size == len(stored)


def _pdf_with(action: bytes) -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        action,
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _compressed_pdf_with(action: bytes) -> bytes:
    """The action hidden in a compressed stream (as an object stream would hold it)."""
    stream = zlib.compress(action)
    body = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"
    return (
        _pdf_with(b"<< /S /GoTo /D [3 0 R /Fit] >>").replace(b"%%EOF", b"")
        + b"5 0 obj\n"
        + body
        + b"\nendobj\n%%EOF\n"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        _pdf_with(b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"),
        _pdf_with(b"<< /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>"),
        _pdf_with(b"<< /S /Launch /F (calc.exe) >>"),
        _compressed_pdf_with(b"<< /S /JavaScript /JS (app.alert(1)) >>"),
    ],
    ids=["open-action", "hex-escaped", "launch", "compressed"],
)
def test_it_refuses_a_pdf_with_javascript(district, data):
    response = _client(district).post("/api/v1/documents/", {"file": upload("通知.pdf", data)})
    assert response.status_code == 400
    assert "PDF文件含有JavaScript脚本" in response.json()["file"][0]


@pytest.mark.django_db
def test_it_accepts_an_ordinary_pdf(district):
    response = _client(district).post("/api/v1/documents/", {"file": upload("纪要.pdf", pdf_bytes())})
    assert response.status_code == 201, response.content
