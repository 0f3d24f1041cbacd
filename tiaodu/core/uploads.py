"""Upload limits: each one a setting (tiaodu/settings.py, from the environment in MB), checked here.

| setting                    | environment             | default | what                                  |
|----------------------------|-------------------------|---------|---------------------------------------|
| LEDGER_MAX_BYTES           | LEDGER_MAX_MB           | 50 MB   | the project ledger workbook           |
| DOCUMENT_MAX_BYTES         | DOCUMENT_MAX_MB         | 50 MB   | a file uploaded to the document center|
| LETTER_SCAN_MAX_BYTES      | LETTER_SCAN_MAX_MB      | 20 MB   | the scan of a responsibility letter   |
| PHOTO_MAX_BYTES            | PHOTO_MAX_MB            | 10 MB   | each photo of a report or an item     |
| SCHEDULE_IMPORT_MAX_BYTES  | SCHEDULE_IMPORT_MAX_MB  | 20 MB   | a schedule file (Excel, MS Project…)  |
| REPORT_IMPORT_MAX_BYTES    | REPORT_IMPORT_MAX_MB    | 20 MB   | a workbook of weekly reports          |

The limit is read when a file is checked, so a changed setting (or a test's) applies at once.
"""

from django.conf import settings
from django.core.exceptions import ValidationError

MB = 1024 * 1024


def upload_limit(setting: str) -> int:
    """The limit in bytes named by `setting`, e.g. "LETTER_SCAN_MAX_BYTES"."""
    return int(getattr(settings, setting))


def megabytes(limit: int) -> str:
    """The limit as people write it: "20 MB" (one decimal when not a whole number of megabytes)."""
    return f"{limit // MB} MB" if limit % MB == 0 else f"{limit / MB:.1f} MB"


def too_large_message(
    *, setting: str, what: str = "文件", size: int | None = None, each: bool = False
) -> str:
    """The refusal: "扫描件过大（23.4 MB），不能超过 20 MB". The size is left out when it is not known;
    `each` says the limit is per file (several photos at once)."""
    shown = f"（{size / MB:.1f} MB）" if size is not None else ""
    return f"{what}过大{shown}，{'每张' if each else ''}不能超过 {megabytes(upload_limit(setting))}"


def check_upload_size(
    size: int | None, *, setting: str, what: str = "文件", field: str | None = None, each: bool = False
) -> None:
    """ValidationError (on `field`, when given) if `size` bytes pass the limit named by `setting`."""
    if size is None or size <= upload_limit(setting):
        return
    message = too_large_message(setting=setting, what=what, size=size, each=each)
    raise ValidationError({field: message} if field else message)
