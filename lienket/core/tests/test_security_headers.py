"""Content-Security-Policy and Permissions-Policy on every response; templates free of inline script and style."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from lienket.core.middleware import permissions_policy_header

TEMPLATES = Path(settings.BASE_DIR) / "lienket" / "templates"

EXPECTED_CSP = {
    "default-src": "'self'", "script-src": "'self'", "style-src": "'self'", "img-src": "'self' data:",
    "frame-ancestors": "'none'", "form-action": "'self'", "base-uri": "'self'", "object-src": "'none'",
}


def _csp(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {d.split(" ", 1)[0]: d.split(" ", 1)[1] for d in (p.strip() for p in header.split(";")) if d}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/api/v1/docs", "/api/v1/openapi.json", "/admin/login/", "/healthz",
                                  "/api/v1/users/me"])
def test_every_response_carries_the_policies(path):
    response = Client().get(path)

    policy = _csp(response)
    for directive, value in EXPECTED_CSP.items():
        assert policy[directive] == value, directive
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in permissions


def test_permissions_policy_syntax():
    assert permissions_policy_header({"camera": [], "fullscreen": ["self"], "x": ["https://a.example"]}) == (
        'camera=(), fullscreen=(self), x=("https://a.example")'
    )


@pytest.mark.django_db
def test_swagger_ui_page_has_no_inline_script():
    html = Client().get("/api/v1/docs").content.decode()

    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag


INLINE = [
    (re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"\sstyle\s*=", re.I), "style= attribute"),
    (re.compile(r"<style\b", re.I), "<style> block"),
    (re.compile(r"\shx-on", re.I), "hx-on attribute (htmx evaluates it as script)"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "inline event handler"),
]


def test_templates_have_no_inline_script_or_style():
    problems = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.S)  # comments may name them
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{path.relative_to(TEMPLATES)}:{line}: {what}")
    assert problems == []


def test_htmx_indicator_styles_are_off_on_every_page_config():
    configs = [p for p in TEMPLATES.rglob("*.html") if 'name="htmx-config"' in p.read_text(encoding="utf-8")]

    assert configs
    for path in configs:
        for content in re.findall(r'name="htmx-config" content=\'([^\']*)\'', path.read_text(encoding="utf-8")):
            assert '"includeIndicatorStyles":false' in content, path
