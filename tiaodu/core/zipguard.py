"""Checking an Office file's zip before any parser sees it: no zip bomb, no macros.

Every reader of an uploaded .xlsx or .docx (the ledger, the weekly-report and schedule imports, the
document center) calls ``zip_problem`` first and refuses the file with its message:

* at most ZIP_MAX_ENTRIES entries;
* the sizes the central directory declares add up to at most ZIP_MAX_TOTAL bytes, and no entry above
  1 MB is compressed more than ZIP_MAX_RATIO times;
* then every entry is really decompressed, streaming and counting, and reading stops at the first
  entry larger than it declared or when the total passes ZIP_MAX_TOTAL (a header that lies is caught);
* no macros or ActiveX: no vbaProject.bin / vbaData.xml / activeX parts, no macro-enabled content type.

The cost is bounded: memory is one 64 KiB chunk, time is at most ZIP_MAX_TOTAL bytes of inflation; a
1 GiB bomb is refused from its central directory without inflating anything.
"""

from __future__ import annotations

import os
import zipfile

ZIP_MAX_ENTRIES = 5000
ZIP_MAX_TOTAL = 300 * 1024 * 1024
ZIP_MAX_RATIO = 150
RATIO_FROM_BYTES = 1024 * 1024
MACRO_CONTENT_TYPES = ("macroEnabled", "vbaProject", "vbaData", "ms-office.activeX")
MACRO_EXTENSIONS = ("docm", "xlsm", "dotm", "xltm", "xlam", "xlsb")

BROKEN_ZIP = "文件已损坏，无法作为Office文件打开"
MACROS = "文件含有宏或ActiveX控件，出于安全考虑不予接收；请另存为不含宏的 .docx 或 .xlsx 后上传"


def _is_path(path_or_file) -> bool:
    return isinstance(path_or_file, str | os.PathLike)


def declared_problem(archive: zipfile.ZipFile) -> str | None:
    """The zip-bomb checks on the sizes the archive declares (nothing is inflated)."""
    infos = archive.infolist()
    if len(infos) > ZIP_MAX_ENTRIES:
        return f"文件内部条目过多（{len(infos)}个），疑似压缩炸弹，已拒绝"
    declared = 0
    for info in infos:
        declared += info.file_size
        if info.file_size > RATIO_FROM_BYTES and info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1):
            return f"文件内部「{info.filename}」压缩比异常（超过{ZIP_MAX_RATIO}倍），疑似压缩炸弹，已拒绝"
    if declared > ZIP_MAX_TOTAL:
        return f"文件解压后超过{ZIP_MAX_TOTAL // 1024 // 1024} MB，疑似压缩炸弹，已拒绝"
    return None


def inflated_problem(archive: zipfile.ZipFile) -> str | None:
    """Inflate every entry for real, counting bytes; stop at the first one that passes its limits."""
    total = 0
    for info in archive.infolist():
        try:
            with archive.open(info) as member:
                seen = 0
                while chunk := member.read(1 << 16):
                    seen += len(chunk)
                    total += len(chunk)
                    if seen > info.file_size or total > ZIP_MAX_TOTAL:
                        return "文件解压后的实际大小超过限制，疑似压缩炸弹，已拒绝"
        except Exception:  # noqa: BLE001 — zipfile and zlib raise many types for a broken member
            return f"文件内部「{info.filename}」已损坏，无法读取"
    return None


def macro_problem(archive: zipfile.ZipFile) -> str | None:
    """MACROS when the archive holds macros or ActiveX controls."""
    names = {n.lower() for n in archive.namelist()}
    if any(n.endswith(("vbaproject.bin", "vbadata.xml")) or "/activex/" in n for n in names):
        return MACROS
    try:
        content_types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    except KeyError:
        return None
    except Exception:  # noqa: BLE001
        return BROKEN_ZIP
    if any(marker in content_types for marker in MACRO_CONTENT_TYPES):
        return MACROS
    return None


def zip_problem(path_or_file, *, not_zip: str = BROKEN_ZIP) -> str | None:
    """None when the Office file is safe to parse, else why not (in Chinese). A file object is left
    at the position where it was."""
    position = None if _is_path(path_or_file) else path_or_file.tell()
    try:
        try:
            archive = zipfile.ZipFile(path_or_file)
        except FileNotFoundError:
            return "文件不存在"
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
            return not_zip
        with archive:
            return declared_problem(archive) or macro_problem(archive) or inflated_problem(archive)
    finally:
        if position is not None:
            path_or_file.seek(position)
