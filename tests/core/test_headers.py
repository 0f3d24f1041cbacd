"""The security headers: CSP on every page, no framing but the previews, no-store for signed-in users."""

import re
from pathlib import Path

import pytest

from tests.briefings.conftest import pdf_bytes, upload

ROOT = Path(__file__).resolve().parents[2]


def _policy(response) -> dict[str, str]:
    return {
        part.split(" ", 1)[0]: part.split(" ", 1)[1]
        for part in response["Content-Security-Policy"].split("; ")
    }


@pytest.mark.parametrize("path", ["/", "/projects/", "/dashboard/", "/projects/ZD-001/", "/documents/"])
def test_it_sends_a_strict_policy_with_every_signed_in_page(client, district, path):
    client.force_login(district.users["office"])
    response = client.get(path)
    assert response.status_code == 200
    policy = _policy(response)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' data: blob:"
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=(self)" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert "microphone=()" in response["Permissions-Policy"]
    cache = response["Cache-Control"]
    assert "no-store" in cache and "private" in cache


def test_it_sends_the_policy_with_the_sign_in_page_too(client, district):
    response = client.get("/login/")
    assert _policy(response)["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert "no-store" in response["Cache-Control"]  # Django's own never_cache


def test_it_leaves_static_files_cacheable(client, district):
    client.force_login(district.users["office"])
    response = client.get("/static/css/tiaodu.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_it_lets_our_own_pages_frame_an_inline_preview_only(client, district):
    from tiaodu.briefings.services import document_upload

    doc = document_upload(user=district.users["office"], file=upload("通报.pdf", pdf_bytes()))
    client.force_login(district.users["office"])
    preview = client.get(f"/documents/{doc.pk}/file/", {"inline": "1"})
    assert preview["Content-Disposition"].startswith("inline")
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    download = client.get(f"/documents/{doc.pk}/file/")
    assert download["X-Frame-Options"] == "DENY"
    page = client.get(f"/documents/{doc.pk}/")
    assert page["X-Frame-Options"] == "DENY" and _policy(page)["frame-ancestors"] == "'none'"


def test_it_allows_the_gantt_page_exactly_the_style_attributes_frappe_gantt_writes(client, district):
    client.force_login(district.users["hq"])
    policy = _policy(client.get("/projects/ZD-001/schedule/"))
    assert policy["style-src"] == "'self'"
    hashes = policy["style-src-attr"].split()
    assert hashes[0] == "'unsafe-hashes'" and len(hashes) == 5
    assert all(re.fullmatch(r"'sha256-[A-Za-z0-9+/]+=*'", h) for h in hashes[1:])
    assert "style-src-attr" not in _policy(client.get("/projects/ZD-001/"))


def test_it_marks_api_answers_to_a_token_no_store(district):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=district.users['hq']).key}")
    response = api.get("/api/v1/projects/")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "Content-Security-Policy" not in response  # JSON, not a page


def test_it_keeps_inline_scripts_handlers_and_style_attributes_out_of_the_templates():
    templates = [*ROOT.glob("templates/**/*.html"), *ROOT.glob("tiaodu/*/templates/**/*.html")]
    assert len(templates) > 50
    for path in templates:
        text = path.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), f"inline script in {path}"
        assert not re.search(r"\son[a-z]+\s*=", text), f"event-handler attribute in {path}"
        assert "javascript:" not in text, f"javascript: URL in {path}"
        assert not re.search(r"\sstyle\s*=", text), f"style attribute in {path}"
        assert "<style" not in text, f"<style> element in {path}"
