"""backup → restore gives back every table and every uploaded file exactly (SQLite and PostgreSQL)."""

import hashlib
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tiaodu.core.backup import BackupError, backup_create, backup_restore
from tiaodu.orgs.models import Unit, UnitType
from tiaodu.projects.models import Project

pytestmark = pytest.mark.django_db(transaction=True)


def _tables() -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order."""
    rows = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows[table] = sorted(tuple(map(repr, row)) for row in cursor.fetchall())
    return rows


def _files(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def uploads(media_root):
    (media_root / "letters").mkdir(parents=True)
    (media_root / "letters" / "责任书扫描件.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 40)
    (media_root / "photos" / "2026").mkdir(parents=True)
    (media_root / "photos" / "2026" / "现场.jpg").write_bytes(b"\xff\xd8\xff" + b"\x00" * 5000)
    return media_root


def test_it_restores_every_table_and_every_file_as_they_were(district, uploads, tmp_path):
    before_tables, before_files = _tables(), _files(uploads)
    result = backup_create(output=tmp_path / "backups")
    assert result.path.name.endswith(".tar.gz") and result.files == 2

    # What happens after the backup: a project deleted, a unit added, a file changed, a file deleted.
    Project.objects.filter(code="ZD-001").delete()
    Unit.objects.create(name="新设单位", type=UnitType.DEPARTMENT)
    (uploads / "letters" / "责任书扫描件.pdf").write_bytes(b"changed")
    (uploads / "photos" / "2026" / "现场.jpg").unlink()
    (uploads / "new.txt").write_text("after")
    assert _tables() != before_tables

    backup_restore(archive=result.path)

    assert _tables() == before_tables
    assert _files(uploads) == before_files
    assert Project.objects.filter(code="ZD-001").exists()
    assert not Unit.objects.filter(name="新设单位").exists()


def test_it_refuses_a_damaged_archive_and_changes_nothing(district, uploads, tmp_path):
    result = backup_create(output=tmp_path / "good.tar.gz")
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(result.path, "r:gz") as src, tarfile.open(damaged, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name.startswith("media/letters/"):
                data = data[:-1] + b"X"  # one byte changed
            member.size = len(data)
            import io

            dst.addfile(member, io.BytesIO(data))
    Unit.objects.create(name="备份之后的单位", type=UnitType.DEPARTMENT)
    before_tables, before_files = _tables(), _files(uploads)

    with pytest.raises(BackupError, match="已损坏"):
        backup_restore(archive=damaged)
    assert _tables() == before_tables and _files(uploads) == before_files


def test_it_refuses_a_file_that_is_not_a_backup(db, tmp_path):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not an archive at all")
    with pytest.raises(BackupError, match="无法读取备份文件"):
        backup_restore(archive=junk)


def test_it_backs_up_and_restores_from_the_command_line(district, uploads, tmp_path, capsys):
    call_command("backup", output=str(tmp_path / "cli.tar.gz"))
    assert "备份完成" in capsys.readouterr().out
    Project.objects.all().delete()
    call_command("restore", str(tmp_path / "cli.tar.gz"), noinput=True)
    assert "恢复完成" in capsys.readouterr().out
    assert Project.objects.filter(code="ZD-001").exists()
    with pytest.raises(CommandError, match="无法读取备份文件"):
        call_command("restore", str(tmp_path / "missing.tar.gz"), noinput=True)
