from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from statements.models import Comparison

ROOT = Path(__file__).resolve().parent.parent
User = get_user_model()


def test_check_deploy_with_production_settings_prints_no_warnings(tmp_path):
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests' conftest, never in production.
    dropped = {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in dropped}
    environment.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": "k3y-" + "x7Qa9#Lm2$" * 6,
            "ALLOWED_HOSTS": "parallax.example",
            "CSRF_TRUSTED_ORIGINS": "https://parallax.example",
            "SECURE_SSL_REDIRECT": "true",
            "SECURE_HSTS_SECONDS": "31536000",
            "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
            "SECURE_HSTS_PRELOAD": "true",
            "DATABASE_URL": f"sqlite:///{tmp_path}/deploy.sqlite3",
        }
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.django_db
def test_pages_send_security_headers(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_cookies_are_secure_outside_debug(settings):
    from project import settings as project_settings

    assert project_settings.DEBUG is False
    assert project_settings.SESSION_COOKIE_SECURE and project_settings.CSRF_COOKIE_SECURE


@pytest.mark.django_db
def test_every_comparison_post_needs_the_csrf_token(seeded):
    owner = User.objects.create_user("owner", password="pass-phrase-owner-1")
    left, right = seeded["000"], seeded["001"]
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    save_url = f"/compare/{left.slug}/{right.slug}/save/"
    for headers in ({}, {"HX-Request": "true"}):
        response = client.post(save_url, {"title": "t", "visibility": "public"}, headers=headers)
        assert response.status_code == 403
    assert Comparison.objects.count() == 0

    # With the token htmx sends in X-CSRFToken (from hx-headers on <body>) it goes through.
    page = client.get(f"/compare/{left.slug}/{right.slug}/")
    token = page.cookies["csrftoken"].value
    response = client.post(
        save_url,
        {"title": "t", "visibility": "public"},
        headers={"X-CSRFToken": token, "HX-Request": "true"},
    )
    assert response.status_code == 302
    comparison = Comparison.objects.get()
    link = comparison.links.first()
    for url, data in (
        (f"/c/{comparison.key}/links/{link.pk}/", {"state": "rejected"}),
        (f"/c/{comparison.key}/links/", {"left": 3, "right": 5, "relation": "quotes"}),
        (f"/c/{comparison.key}/edit/", {"title": "x", "visibility": "private"}),
        (f"/c/{comparison.key}/delete/", {}),
    ):
        assert client.post(url, data, headers={"HX-Request": "true"}).status_code == 403
    link.refresh_from_db()
    assert link.state == "suggested"
    assert Comparison.objects.filter(pk=comparison.pk, title="t").exists()


@pytest.mark.django_db
def test_body_carries_the_csrf_token_for_htmx(client):
    page = client.get("/").content.decode()
    assert '<body hx-headers=\'{"X-CSRFToken": "' in page
