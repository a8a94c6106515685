"""Sign-in and sign-up are throttled (finding 6 of issue 11): 50 wrong passwords in a row all
answered 200. Failures are counted per account and per address in the cache (local memory in
the tests); past the limit, attempts are refused with a message for a cool-down."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from statements import throttle

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-passphrase-1"


@pytest.fixture(autouse=True)
def fresh_counts(settings):
    settings.PARALLAX_SIGN_IN_FAILURES_PER_ACCOUNT = 5
    settings.PARALLAX_SIGN_IN_FAILURES_PER_ADDRESS = 20
    settings.PARALLAX_SIGN_UPS_PER_ADDRESS = 10
    settings.PARALLAX_THROTTLE_SECONDS = 900
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def reader():
    return get_user_model().objects.create_user("reader", password=PASSWORD)


def sign_in(client, username="reader", password="wrong", address="198.51.100.7"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_five_wrong_passwords_lock_the_account_with_a_message(client, reader):
    for _ in range(5):
        response = sign_in(client)
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.content.decode()
    refused = sign_in(client, password=PASSWORD)  # even the right password, for a while
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Too many failed sign-ins for this account: wait 15 minutes and try again." in page
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_account_not_per_person(client, reader):
    get_user_model().objects.create_user("other", password=PASSWORD)
    for _ in range(5):
        sign_in(client)
    assert sign_in(client, "other", PASSWORD, address="203.0.113.9").status_code == 302


def test_the_account_name_is_counted_whatever_its_case(client, reader):
    for name in ("reader", "READER", " Reader ", "reader", "rEader"):
        sign_in(client, username=name)
    assert sign_in(client, password=PASSWORD).status_code == 429


def test_a_right_password_clears_the_accounts_count(client, reader):
    for _ in range(4):
        sign_in(client)
    assert sign_in(client, password=PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        sign_in(client)
    assert sign_in(client, password=PASSWORD).status_code == 302


def test_the_cool_down_ends(client, reader, settings, monkeypatch):
    for _ in range(5):
        sign_in(client)
    assert sign_in(client, password=PASSWORD).status_code == 429
    later = time.time() + settings.PARALLAX_THROTTLE_SECONDS + 1
    monkeypatch.setattr(throttle.time, "time", lambda: later)
    assert sign_in(client, password=PASSWORD).status_code == 302


def test_one_address_trying_many_accounts_is_refused(client, reader):
    for n in range(20):
        sign_in(client, username=f"guess{n}")
    refused = sign_in(client, password=PASSWORD)
    assert refused.status_code == 429
    assert "from your network address" in refused.content.decode()
    # Another address may still sign in to the account.
    assert sign_in(client, password=PASSWORD, address="203.0.113.9").status_code == 302


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(client, reader, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    for n in range(20):  # the client varies what it claims; the proxy appends what it saw
        client.post(
            "/accounts/login/",
            {"username": f"guess{n}", "password": "x"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 198.51.100.7",
        )
    refused = client.post(
        "/accounts/login/",
        {"username": "reader", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="192.0.2.99, 198.51.100.7",
    )
    assert refused.status_code == 429


def test_the_admin_sign_in_is_throttled_too(client, reader):
    reader.is_staff = True
    reader.save()
    for _ in range(5):
        response = client.post(
            "/admin/login/", {"username": "reader", "password": "wrong"}, REMOTE_ADDR="1.2.3.4"
        )
        assert response.status_code == 200
    refused = client.post(
        "/admin/login/", {"username": "reader", "password": PASSWORD}, REMOTE_ADDR="1.2.3.4"
    )
    assert "Too many failed sign-ins for this account" in refused.content.decode()
    assert "_auth_user_id" not in client.session


def sign_up(client, n: int, address="198.51.100.7"):
    return client.post(
        "/accounts/signup/",
        {"username": f"new{n}", "password1": PASSWORD, "password2": PASSWORD},
        REMOTE_ADDR=address,
    )


def test_sign_ups_from_one_address_are_limited_with_a_message(client):
    for n in range(10):
        assert sign_up(client, n).status_code == 302
        client.logout()
    refused = sign_up(client, 10)
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Too many sign-ups from your network address: wait 15 minutes and try again." in page
    assert not get_user_model().objects.filter(username="new10").exists()
    assert sign_up(client, 11, address="203.0.113.9").status_code == 302


def test_failed_sign_ups_count_too(client):
    for _ in range(10):
        response = client.post(
            "/accounts/signup/",
            {"username": "x", "password1": "short", "password2": "other"},
            REMOTE_ADDR="198.51.100.7",
        )
        assert response.status_code == 200
    assert sign_up(client, 1).status_code == 429
