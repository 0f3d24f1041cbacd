"""Upload limits: one setting each, read from the environment in MB, checked by one helper."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ValidationError

from tiaodu.core.uploads import MB, check_upload_size, megabytes, too_large_message

LIMITS = {
    "LEDGER_MAX_MB": ("LEDGER_MAX_BYTES", 50),
    "DOCUMENT_MAX_MB": ("DOCUMENT_MAX_BYTES", 50),
    "LETTER_SCAN_MAX_MB": ("LETTER_SCAN_MAX_BYTES", 20),
    "PHOTO_MAX_MB": ("PHOTO_MAX_BYTES", 10),
    "SCHEDULE_IMPORT_MAX_MB": ("SCHEDULE_IMPORT_MAX_BYTES", 20),
    "REPORT_IMPORT_MAX_MB": ("REPORT_IMPORT_MAX_BYTES", 20),
}


def _settings_with(env: dict[str, str]) -> dict[str, int]:
    names = [setting for setting, _ in LIMITS.values()]
    code = (
        "import django, json, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'tiaodu.settings'; django.setup(); "
        f"from django.conf import settings; print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in LIMITS}
    out = subprocess.run([sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    import json

    return json.loads(out.stdout.strip().splitlines()[-1])


def test_it_reads_every_limit_from_the_environment_in_megabytes():
    defaults = _settings_with({})
    assert defaults == {setting: mb * MB for setting, mb in LIMITS.values()}
    changed = _settings_with({name: "3" for name in LIMITS})
    assert set(changed.values()) == {3 * MB}


def test_it_lists_every_limit_in_the_env_example():
    text = open(".env.example", encoding="utf-8").read()
    assert all(f"# {name}=" in text for name in LIMITS)


def test_it_refuses_a_file_past_its_limit_naming_size_and_limit(settings):
    settings.LETTER_SCAN_MAX_BYTES = 20 * MB
    check_upload_size(20 * MB, setting="LETTER_SCAN_MAX_BYTES")
    with pytest.raises(ValidationError) as exc:
        check_upload_size(int(23.4 * MB), setting="LETTER_SCAN_MAX_BYTES", what="扫描件", field="scan")
    assert exc.value.message_dict == {"scan": ["扫描件过大（23.4 MB），不能超过 20 MB"]}
    assert too_large_message(setting="LETTER_SCAN_MAX_BYTES", what="扫描件") == "扫描件过大，不能超过 20 MB"
    assert megabytes(MB // 2) == "0.5 MB"


def test_it_applies_a_changed_photo_limit_to_report_photos(settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tiaodu.progress.photos import photo_read

    settings.PHOTO_MAX_BYTES = 1024
    with pytest.raises(ValidationError, match="照片「大.jpg」过大（0.0 MB），不能超过 0.0 MB"):
        photo_read(SimpleUploadedFile("大.jpg", b"x" * 2048, content_type="image/jpeg"))


def test_it_says_the_photo_limit_is_per_photo_when_several_go_up_at_once(settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tiaodu.supervision.services._common import photos_check

    settings.PHOTO_MAX_BYTES = MB
    with pytest.raises(ValidationError, match="照片「大.jpg」过大（2.0 MB），每张不能超过 1 MB"):
        photos_check([SimpleUploadedFile("大.jpg", b"x" * 2 * MB, content_type="image/jpeg")])
