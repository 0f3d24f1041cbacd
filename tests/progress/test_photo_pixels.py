"""Report and supervision photos above the pixel limit are refused before they are decoded."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.briefings.test_upload_bounds import huge_png  # noqa: F401 — the 12000×12000 PNG fixture
from tiaodu.progress.photos import photo_read


def test_it_refuses_a_12000_by_12000_photo(huge_png):  # noqa: F811
    with pytest.raises(ValidationError) as refused:
        photo_read(SimpleUploadedFile("现场.png", huge_png))
    assert "照片「现场.png」图片像素过多（12000×12000" in str(refused.value)


def test_it_refuses_a_photo_over_the_setting(settings):
    settings.IMAGE_MAX_PIXELS = 1000
    out = io.BytesIO()
    Image.new("RGB", (40, 30)).save(out, format="PNG")
    with pytest.raises(ValidationError) as refused:
        photo_read(SimpleUploadedFile("小图.png", out.getvalue()))
    assert "图片像素过多（40×30，约1200像素），不能超过1000像素" in str(refused.value)
    settings.IMAGE_MAX_PIXELS = 50_000_000
    assert photo_read(SimpleUploadedFile("小图.png", out.getvalue())).width == 40
