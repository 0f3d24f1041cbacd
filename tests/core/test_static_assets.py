"""collectstatic collects every static file a page names — in a template or in a collected stylesheet
(fonts, images) — and not the unused rest of the vendor distributions (issue 16: set-up time)."""

import gzip
import os
import re
from pathlib import Path

import brotli
import django.contrib.admin
import rest_framework
from django.conf import settings
from django.contrib.staticfiles import finders

from tiaodu.core.staticfiles import VENDOR_FILES, CompressedStaticFilesStorage

STATIC_TAG = re.compile(r"""\{%\s*static\s+["']([^"']+)["']""")
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""")


def collected():
    """What `collectstatic` copies: every file each configured finder lists."""
    return {
        Path(getattr(storage, "prefix", None) or "", path).as_posix()
        for finder in finders.get_finders()
        for path, storage in finder.list(["CVS", ".*", "*~"])
    }


def template_dirs():
    base = Path(settings.BASE_DIR)
    yield base / "templates"
    yield from (base / "tiaodu").glob("*/templates")
    yield Path(rest_framework.__file__).parent / "templates"
    yield Path(django.contrib.admin.__file__).parent / "templates"


def test_every_static_file_a_template_names_is_collected():
    files = collected()
    named = {}
    for folder in template_dirs():
        for template in folder.rglob("*.html"):
            for path in STATIC_TAG.findall(template.read_text(encoding="utf-8")):
                named.setdefault(path, template)
    assert "vendor/echarts/echarts.min.js" in named and "rest_framework/css/bootstrap.min.css" in named
    missing = {path: str(template) for path, template in named.items() if path not in files}
    assert not missing, f"named by a template, not collected: {missing}"


def test_every_file_a_collected_stylesheet_names_is_collected():
    files = collected()
    missing, seen = [], 0
    for css in sorted(p for p in files if p.endswith(".css")):
        text = Path(finders.find(css)).read_text(encoding="utf-8")
        for ref in CSS_URL.findall(text):
            if ref.startswith(("data:", "#", "%23", "http:", "https:", "//")):
                continue
            target = (Path(css).parent / ref.split("?")[0].split("#")[0]).as_posix()
            target = re.sub(r"[^/]+/\.\./", "", target)
            seen += 1
            if target not in files:
                missing.append(f"{css} → {ref}")
    assert seen >= 8  # bootstrap-icons' fonts, Leaflet's layer icons, the admin's and the API pages' images
    assert not missing, missing


def test_every_listed_vendor_file_is_there_and_collected():
    files = collected()
    for prefix, (_root, names) in VENDOR_FILES.items():
        for name in names:
            assert f"{prefix}/{name}" in files, f"{prefix}/{name}: missing (npm ci?)"
            assert finders.find(f"{prefix}/{name}")


def test_the_unused_rest_of_the_distributions_is_not_collected():
    files = collected()
    assert "vendor/echarts/echarts.js" not in files and "vendor/bootstrap/css/bootstrap.css" not in files
    assert not [p for p in files if p.endswith(".map")]
    assert not [p for p in files if p.startswith(("django_htmx/", "drf_spectacular_sidecar/redoc/"))]
    assert finders.find("vendor/echarts/echarts.js") is None
    assert len(files) < 250


def test_a_changed_file_is_compressed_again_and_an_unchanged_one_is_not(tmp_path):
    storage = CompressedStaticFilesStorage(location=tmp_path)
    source = tmp_path / "site.css"

    def collect(text, mtime):
        source.write_text(text)
        os.utime(source, (mtime, mtime))
        return list(storage.post_process({"site.css": (storage, "site.css")}))

    assert [name for _, name, _ in collect("body { color: red; }\n" * 200, 1_000_000)] == [
        "site.css.br",
        "site.css.gz",
    ]
    assert collect("body { color: red; }\n" * 200, 1_000_000) == []  # nothing new: not compressed again
    collect("body { color: blue; }\n" * 200, 1_000_100)  # collectstatic copied a newer file
    assert brotli.decompress((tmp_path / "site.css.br").read_bytes()).decode() == source.read_text()
    assert gzip.decompress((tmp_path / "site.css.gz").read_bytes()).decode() == source.read_text()


def _table(files):
    return {url: [(a[1], sorted(a[2])) for a in f.alternatives] for url, f in files.items()}


def test_every_test_clients_middleware_serves_what_a_fresh_scan_finds(client):
    """The tests build WhiteNoise's table of the collected folder once per process (tests/conftest.py):
    a later middleware gets the same files, variants and headers as a scan of its own."""
    from whitenoise.base import WhiteNoise
    from whitenoise.middleware import WhiteNoiseMiddleware

    first, later = WhiteNoiseMiddleware(lambda r: None), WhiteNoiseMiddleware(lambda r: None)
    scanned = WhiteNoiseMiddleware(lambda r: None)
    scanned.files = {}
    WhiteNoise.update_files_dictionary.original(scanned, *_root_and_prefix(scanned))
    assert len(scanned.files) > 100 and "/static/vendor/htmx/htmx.min.js" in scanned.files
    assert _table(first.files) == _table(later.files) == _table(scanned.files)
    response = client.get("/static/vendor/htmx/htmx.min.js", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200 and response["Content-Encoding"] == "gzip"
    body = b"".join(response.streaming_content)
    assert gzip.decompress(body) == (Path(settings.STATIC_ROOT) / "vendor/htmx/htmx.min.js").read_bytes()


def _root_and_prefix(middleware):
    root = os.path.abspath(middleware.static_root).rstrip(os.path.sep) + os.path.sep
    return root, middleware.static_prefix
