"""Backup and restore: the database and the uploaded files in one archive, restored as they were.

An archive is a `.tar.gz` holding
* `manifest.json` — when, which database engine, the Django migrations applied, and every media file
  with its size and SHA-256;
* `database.sqlite3` (SQLite, written with SQLite's online backup API: consistent while the site runs) or
  `database.dump` (PostgreSQL, `pg_dump --format=custom`);
* `media/…` — every file under MEDIA_ROOT.

Restore replaces the database's contents and the media folder with the archive's, after checking the
archive (engine, every file's checksum) — a damaged archive changes nothing. The restore of a SQLite
database copies the archived database into the live connection with the same backup API; PostgreSQL's
runs `pg_restore --clean --if-exists --single-transaction`.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

FORMAT = 1
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot be done; the message (Chinese) says why."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    engine: str
    files: int
    bytes: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"不支持的数据库类型：{vendor}")
    return vendor


def _pg_env() -> dict[str, str]:
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": db["NAME"]}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600)
    except FileNotFoundError:
        raise BackupError(f"找不到命令 {command[0]}：请安装与数据库版本一致的 PostgreSQL 客户端")
    if done.returncode != 0:
        raise BackupError(f"{command[0]} 执行失败：{done.stderr.strip()[-500:]}")


def _dump_database(engine: str, folder: Path) -> Path:
    if engine == "sqlite":
        target = folder / "database.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target) as dest:
            connection.connection.backup(dest)
        dest.close()
        return target
    target = folder / "database.dump"
    _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"], _pg_env())
    return target


def _media_files() -> list[tuple[Path, str]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    return sorted((path, path.relative_to(root).as_posix()) for path in root.rglob("*") if path.is_file())


def backup_create(*, output: Path | str | None = None) -> BackupResult:
    """Write an archive of the database and the media files; returns where and what it holds."""
    engine = _engine()
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    output = Path(output) if output else Path(settings.VAR_DIR) / "backups" / f"tiaodu-{stamp}.tar.gz"
    if output.is_dir() or not output.name.endswith(".tar.gz"):  # a folder to write into
        output = output / f"tiaodu-{stamp}.tar.gz"
    output.parent.mkdir(parents=True, exist_ok=True)
    files = _media_files()
    manifest = {
        "format": FORMAT,
        "created": datetime.datetime.now(datetime.UTC).isoformat(),
        "engine": engine,
        "migrations": sorted(
            f"{app}.{name}" for app, name in MigrationRecorder.Migration.objects.values_list("app", "name")
        ),
        "media": [
            {"name": name, "size": path.stat().st_size, "sha256": _sha256(path)} for path, name in files
        ],
    }
    with tempfile.TemporaryDirectory() as tmp:
        dump = _dump_database(engine, Path(tmp))
        manifest["database"] = {"name": dump.name, "sha256": _sha256(dump)}
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname=dump.name)
            for path, name in files:
                tar.add(path, arcname=f"media/{name}")
        partial.replace(output)
    return BackupResult(path=output, engine=engine, files=len(files), bytes=output.stat().st_size)


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts


def _unpack(archive: Path, folder: Path) -> dict:
    """Extract the archive into folder and check it against its manifest; returns the manifest."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            members = tar.getmembers()
            bad = [m.name for m in members if not _safe_member(m.name) or not (m.isfile() or m.isdir())]
            if bad:
                raise BackupError(f"备份文件含有不安全的路径：{bad[0]}")
            tar.extractall(folder, members=members, filter="data")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"无法读取备份文件「{archive}」：{exc}")
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BackupError("备份文件缺少有效的 manifest.json，不是本平台的备份")
    if manifest.get("format") != FORMAT:
        raise BackupError(f"备份格式版本 {manifest.get('format')} 不受支持")
    database = folder / manifest["database"]["name"]
    if not database.is_file() or _sha256(database) != manifest["database"]["sha256"]:
        raise BackupError("备份中的数据库文件缺失或已损坏（校验值不符）")
    for entry in manifest["media"]:
        path = folder / "media" / entry["name"]
        if not path.is_file() or _sha256(path) != entry["sha256"]:
            raise BackupError(f"备份中的文件「{entry['name']}」缺失或已损坏（校验值不符）")
    return manifest


def _restore_database(engine: str, dump: Path) -> None:
    if engine == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(dump) as source:
            source.backup(connection.connection)
        source.close()
        return
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(dump),
        ],
        _pg_env(),
    )


def _restore_media(source: Path) -> None:
    root = Path(settings.MEDIA_ROOT)
    staging = root.with_name(root.name + ".restoring")
    shutil.rmtree(staging, ignore_errors=True)
    if source.is_dir():
        shutil.copytree(source, staging)
    else:
        staging.mkdir(parents=True)
    old = root.with_name(root.name + ".before-restore")
    shutil.rmtree(old, ignore_errors=True)
    if root.exists():
        root.replace(old)
    staging.replace(root)
    shutil.rmtree(old, ignore_errors=True)


def backup_restore(*, archive: Path | str) -> dict:
    """Replace the database and the media files with the archive's. Returns the archive's manifest."""
    archive = Path(archive)
    engine = _engine()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        manifest = _unpack(archive, folder)
        if manifest["engine"] != engine:
            raise BackupError(f"备份来自 {manifest['engine']} 数据库，当前为 {engine}：请在同类数据库上恢复")
        connection.close_if_unusable_or_obsolete()
        _restore_database(engine, folder / manifest["database"]["name"])
        _restore_media(folder / "media")
    return manifest
