"""The production path: the systemd units and the nginx site render for a checkout and verify."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def rendered(tmp_path):
    subprocess.run(
        [
            "make",
            "-s",
            "deploy-units",
            f"DEPLOY_OUT={tmp_path}",
            f"APP_DIR={ROOT}",
            "SERVER_NAME=tiaodu.test",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return tmp_path


def test_it_renders_every_unit_with_the_checkout_path_and_no_placeholder_left(rendered):
    names = sorted(p.name for p in rendered.iterdir())
    assert names == [
        "nginx-tiaodu.conf",
        "tiaodu-backup.service",
        "tiaodu-backup.timer",
        "tiaodu-web.service",
        "tiaodu-worker.service",
    ]
    for path in rendered.iterdir():
        assert "@" not in path.read_text().replace("$request_uri", "")
    web = (rendered / "tiaodu-web.service").read_text()
    assert f"ExecStart={ROOT}/.venv/bin/gunicorn tiaodu.wsgi:application" in web
    nginx = (rendered / "nginx-tiaodu.conf").read_text()
    assert "X-Forwarded-Proto $scheme" in nginx and "server_name tiaodu.test;" in nginx
    assert "/media/" not in nginx.replace("(/media/)", "")  # files only through Django's permission checks


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_it_passes_systemd_analyze_verify_and_a_broken_unit_fails_it(rendered):
    units = sorted(str(p) for p in rendered.glob("*.service")) + sorted(
        str(p) for p in rendered.glob("*.timer")
    )
    ok = subprocess.run(["systemd-analyze", "verify", "--man=no", *units], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    broken = rendered / "tiaodu-web.service"
    broken.write_text(broken.read_text().replace(f"{ROOT}/.venv/bin/gunicorn", "/nonexistent/gunicorn"))
    failed = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", str(broken)], capture_output=True, text=True
    )
    assert failed.returncode != 0 and "/nonexistent/gunicorn" in failed.stderr
