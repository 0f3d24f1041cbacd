"""What collectstatic collects: the project's own static files, the apps' static files, and — from the
npm packages and from drf-spectacular's sidecar — only the files the pages load (not whole
distributions: ECharts' alone is 69 MB, and WhiteNoise compresses every collected file).

VENDOR_FILES is the one list of those files. A page that starts using another vendor file adds it here;
tests/core/test_static_assets.py fails when a template, or a collected stylesheet, names a file that
collectstatic would not collect.
"""

from pathlib import Path

import whitenoise.storage
from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles.finders import AppDirectoriesFinder, BaseFinder
from django.contrib.staticfiles.utils import matches_patterns
from django.core.files.storage import FileSystemStorage

# URL prefix under STATIC_URL → (where the files are, the files). A root is relative to node_modules, or
# "app:<app label>/<path>" for a folder inside an installed app's static folder.
VENDOR_FILES = {
    "vendor/bootstrap": ("bootstrap/dist", ["css/bootstrap.min.css", "js/bootstrap.bundle.min.js"]),
    "vendor/bootstrap-icons": (
        "bootstrap-icons/font",
        ["bootstrap-icons.min.css", "fonts/bootstrap-icons.woff2", "fonts/bootstrap-icons.woff"],
    ),
    "vendor/htmx": ("htmx.org/dist", ["htmx.min.js"]),
    "vendor/echarts": ("echarts/dist", ["echarts.min.js"]),
    "vendor/frappe-gantt": ("frappe-gantt/dist", ["frappe-gantt.umd.js", "frappe-gantt.css"]),
    # leaflet.css names the layer icons; Leaflet's default marker loads the marker images beside it.
    "vendor/leaflet": (
        "leaflet/dist",
        ["leaflet.js", "leaflet.css"]
        + [
            f"images/{n}"
            for n in (
                "layers.png",
                "layers-2x.png",
                "marker-icon.png",
                "marker-icon-2x.png",
                "marker-shadow.png",
            )
        ],
    ),
    "vendor/leaflet-geoman": (
        "@geoman-io/leaflet-geoman-free/dist",
        ["leaflet-geoman.min.js", "leaflet-geoman.css"],
    ),
    # /api/docs/ (drf-spectacular's Swagger UI page, SWAGGER_UI_DIST = SIDECAR); not ReDoc, not the maps.
    "drf_spectacular_sidecar/swagger-ui-dist": (
        "app:drf_spectacular_sidecar/drf_spectacular_sidecar/swagger-ui-dist",
        ["swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "favicon-32x32.png"],
    ),
}
# Apps whose static folder is not collected whole: the sidecar (listed above) and django-htmx (its
# copies of htmx and its debug script; the pages load htmx from vendor/htmx).
APPS_NOT_COLLECTED = {"drf_spectacular_sidecar", "django_htmx"}
# Files of the collected apps that no page loads: source maps, the browsable API's Font Awesome (its
# docs pages, not routed), the admin's select2 translations other than the one language (zh-CN).
APP_FILES_LEFT_OUT = [
    "*.map",
    "rest_framework/fonts/fontawesome-webfont.*",
    "rest_framework/css/font-awesome-*",
]
SELECT2_I18N, SELECT2_LANGUAGE = "admin/js/vendor/select2/i18n/", "zh-CN.js"


def left_out(path):
    if path.startswith(SELECT2_I18N):
        return path != SELECT2_I18N + SELECT2_LANGUAGE
    return matches_patterns(path, APP_FILES_LEFT_OUT)


def vendor_root(root):
    if root.startswith("app:"):
        label, _, inside = root.removeprefix("app:").partition("/")
        return Path(apps.get_app_config(label).path) / "static" / inside
    return Path(settings.BASE_DIR) / "node_modules" / root


class CollectedAppsFinder(AppDirectoriesFinder):
    """Django's app finder without the apps in APPS_NOT_COLLECTED and the files left_out()."""

    def __init__(self, app_names=None, *args, **kwargs):
        names = [c.name for c in apps.get_app_configs() if c.name not in APPS_NOT_COLLECTED]
        super().__init__(app_names or names, *args, **kwargs)

    def find(self, path, find_all=False, **kwargs):
        if left_out(path):
            return []
        return super().find(path, find_all=find_all, **kwargs)

    def list(self, ignore_patterns):
        for path, storage in super().list(ignore_patterns):
            if not left_out(path.replace("\\", "/")):
                yield path, storage


class VendorFinder(BaseFinder):
    """The files of VENDOR_FILES, each under its prefix; a file missing on disk is left out."""

    def __init__(self, *args, **kwargs):
        self.storages = {}
        for prefix, (root, names) in VENDOR_FILES.items():
            storage = FileSystemStorage(location=vendor_root(root))
            storage.prefix = prefix
            self.storages[prefix] = (storage, names)

    def find(self, path, find_all=False, **kwargs):
        found = []
        for prefix, (storage, names) in self.storages.items():
            name = path.removeprefix(prefix + "/")
            if name != path and name in names and storage.exists(name):
                if not find_all:
                    return storage.path(name)
                found.append(storage.path(name))
        return found

    def list(self, ignore_patterns):
        for storage, names in self.storages.values():
            for name in names:
                if storage.exists(name) and not matches_patterns(name, ignore_patterns or []):
                    yield name, storage


class CompressedStaticFilesStorage(whitenoise.storage.CompressedStaticFilesStorage):
    """WhiteNoise's compressing storage that compresses only what collectstatic copied anew: a file whose
    .br or .gz is already there from the same source (WhiteNoise stamps it with the source's mtime) is
    left alone, so a second collectstatic after one changed file compresses that file only."""

    def post_process(self, paths, dry_run=False, **options):
        fresh = {path: value for path, value in paths.items() if not self.compressed_already(path)}
        yield from super().post_process(fresh, dry_run=dry_run, **options)

    def compressed_already(self, path):
        source = Path(self.path(path))
        for suffix in (".br", ".gz"):
            done = source.with_name(source.name + suffix)
            if done.exists() and done.stat().st_mtime >= source.stat().st_mtime:
                return True
        return False
