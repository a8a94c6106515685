from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db

User = get_user_model()


def test_a_reader_signs_up_and_is_signed_in(client):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "ann",
            "password1": "a-long-pass-phrase-42",
            "password2": "a-long-pass-phrase-42",
        },
        follow=True,
    )
    assert User.objects.filter(username="ann").exists()
    assert response.context["user"].username == "ann"
    assert "Welcome, ann" in response.content.decode()


def test_sign_up_refuses_a_weak_password_and_creates_nobody(client):
    response = client.post(
        "/accounts/signup/", {"username": "bob", "password1": "123", "password2": "123"}
    )
    assert response.status_code == 200
    assert "This password is too short" in response.content.decode()
    assert not User.objects.filter(username="bob").exists()


def test_sign_up_can_be_turned_off(client, settings):
    settings.PARALLAX_SIGNUP = False
    response = client.get("/accounts/signup/")
    assert response.status_code == 403
    assert "Sign-up is closed" in response.content.decode()
    client.post(
        "/accounts/signup/",
        {
            "username": "eve",
            "password1": "a-long-pass-phrase-42",
            "password2": "a-long-pass-phrase-42",
        },
    )
    assert not User.objects.filter(username="eve").exists()
    assert "Sign up</a>" not in client.get("/").content.decode()


def test_sign_in_and_sign_out(client):
    User.objects.create_user("ann", password="a-long-pass-phrase-42")
    response = client.post(
        "/accounts/login/", {"username": "ann", "password": "a-long-pass-phrase-42"}, follow=True
    )
    assert response.context["user"].is_authenticated
    assert "My comparisons" in response.content.decode()
    response = client.post("/accounts/logout/", follow=True)
    assert not response.context["user"].is_authenticated


def test_a_wrong_password_gets_a_message(client):
    User.objects.create_user("ann", password="a-long-pass-phrase-42")
    response = client.post("/accounts/login/", {"username": "ann", "password": "nope"})
    assert "Please enter a correct username and password" in response.content.decode()


def test_password_change(client):
    user = User.objects.create_user("ann", password="a-long-pass-phrase-42")
    client.force_login(user)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": "a-long-pass-phrase-42",
            "new_password1": "another-long-phrase-77",
            "new_password2": "another-long-phrase-77",
        },
        follow=True,
    )
    assert "Password changed" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("another-long-phrase-77")


def test_pages_sent_to_sign_in_come_back_after(client):
    User.objects.create_user("ann", password="a-long-pass-phrase-42")
    response = client.get("/me/comparisons/")
    assert (
        response.status_code == 302
        and "/accounts/login/?next=/me/comparisons/" in response["Location"]
    )
    response = client.post(
        "/accounts/login/?next=/me/comparisons/",
        {"username": "ann", "password": "a-long-pass-phrase-42", "next": "/me/comparisons/"},
    )
    assert response["Location"] == "/me/comparisons/"
