"""Token auth, the drf_create_token command, the OpenAPI schema and the offline Swagger UI."""

import io
import json
import re

from django.contrib.staticfiles import finders
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


def test_it_authenticates_with_a_token(district):
    token = Token.objects.create(user=district.users["hq"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get("/api/v1/projects/")
    assert response.status_code == 200
    assert [row["code"] for row in response.json()["results"]] == ["ZD-001"]
    # Writes need no CSRF token with token auth.
    changed = client.patch("/api/v1/projects/ZD-001/", {"description": "令牌修改"}, format="json")
    assert changed.status_code == 200
    district.project.refresh_from_db()
    assert district.project.description == "令牌修改"


def test_it_refuses_a_wrong_token(district):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    response = client.get("/api/v1/projects/")
    assert response.status_code in (401, 403)  # 403 while SessionAuthentication is listed first
    assert response.json()["detail"] == "认证令牌无效。"


def test_it_creates_a_token_on_the_command_line_that_then_authenticates(district):
    out = io.StringIO()
    call_command("drf_create_token", "hq", stdout=out)
    keys = re.findall(r"\b[0-9a-f]{40}\b", out.getvalue())
    assert len(keys) == 1
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {keys[0]}")
    response = client.get("/api/v1/projects/ZD-001/")
    assert response.status_code == 200
    assert response.json()["name"] == "北园大街道路拓宽及两侧整治"


def test_it_shows_the_schema_and_the_docs_only_to_signed_in_users(client, district):
    refused = client.get("/api/schema/?format=json")
    assert refused.status_code in (401, 403)
    assert "paths" not in refused.json()
    docs = client.get("/api/docs/")
    assert docs.status_code == 302 and docs["Location"].startswith("/login/")
    token = Token.objects.create(user=district.users["street"])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/schema/?format=json").status_code == 200


def test_it_serves_the_openapi_3_schema(client, district):
    client.force_login(district.users["street"])
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Tiaodu 调度 API"
    for path in [
        "/api/v1/projects/",
        "/api/v1/projects/{code}/",
        "/api/v1/indicators/",
        "/api/v1/indicators/{id}/",
        "/api/v1/letters/",
        "/api/v1/letters/{id}/",
        "/api/v1/letter-items/",
        "/api/v1/letter-items/{id}/",
        "/api/v1/units/",
        "/api/v1/units/{id}/",
        "/api/v1/people/",
        "/api/v1/people/{id}/",
    ]:
        assert path in schema["paths"], path
    filters = {p["name"] for p in schema["paths"]["/api/v1/projects/"]["get"]["parameters"]}
    assert {"q", "type", "status", "category", "lead_unit", "territorial_unit", "page"} <= filters
    letter_post = schema["paths"]["/api/v1/letters/"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in letter_post
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])
    yaml_response = client.get("/api/schema/")
    assert yaml_response.content.startswith(b"openapi: 3.")


def test_it_serves_swagger_ui_from_local_static_files(client, district):
    client.force_login(district.users["street"])
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html.lower()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert any(a.endswith("swagger-ui.css") for a in assets)
    script = [a for a in assets if a.startswith("/api/docs/?")]
    assert len(script) == 1  # the start-up script: no inline script (Content-Security-Policy)
    assert "<script>" not in html and "<style>" not in html
    started = client.get(script[0].replace("&amp;", "&"))
    assert started.status_code == 200 and started["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in started.content.decode()
    for asset in set(assets) - set(script):
        assert not re.match(r"^(https?:)?//", asset), f"loads from the internet: {asset}"
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), f"missing static file: {asset}"
    assert "cdn.jsdelivr" not in html and "unpkg.com" not in html
