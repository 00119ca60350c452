"""Token authentication and the `parley apitoken` command."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from .conftest import BASE


def test_token_authenticates(api):
    response = api["admin"].get("/api/v1/brands/")
    assert response.status_code == 200
    assert response.json() == [{"slug": "acme", "name": "Acme", "role": "admin"}]


def test_missing_token_is_401(brand):
    response = APIClient().get(f"{BASE}/conversations/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "detail" in response.json()


@pytest.mark.parametrize("header", ["Token not-a-real-key", "Token ", "Bearer abc", "Token a b"])
def test_wrong_token_is_401(users, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert client.get("/api/v1/brands/").status_code == 401
    assert client.post(f"{BASE}/posts/", {}, format="json").status_code == 401


def test_token_of_deactivated_user_is_401(users, api):
    users["admin"].is_active = False
    users["admin"].save()
    assert api["admin"].get("/api/v1/brands/").status_code == 401


def test_session_login_works_too(client, users):
    client.force_login(users["viewer"])
    assert client.get("/api/v1/brands/").json()[0]["role"] == "viewer"


def test_brands_list_names_each_role(users, other_brand, api):
    from parley.accounts.models import Membership

    Membership.objects.create(user=users["care_agent"], brand=other_brand, role="supervisor")
    rows = api["care_agent"].get("/api/v1/brands/").json()
    assert sorted((r["slug"], r["role"]) for r in rows) == [("acme", "agent"), ("globex", "supervisor")]


def test_apitoken_creates_then_prints_the_same_key(users):
    out = StringIO()
    call_command("apitoken", "ada", stdout=out, stderr=StringIO())
    key = out.getvalue().strip()
    assert key == Token.objects.get(user=users["admin"]).key
    again = StringIO()
    call_command("apitoken", "ada", stdout=again, stderr=StringIO())
    assert again.getvalue().strip() == key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/brands/").status_code == 200


def test_apitoken_rotate_invalidates_the_old_key(users):
    first = StringIO()
    call_command("apitoken", "ada", stdout=first, stderr=StringIO())
    second = StringIO()
    call_command("apitoken", "ada", "--rotate", stdout=second, stderr=StringIO())
    old, new = first.getvalue().strip(), second.getvalue().strip()
    assert old != new
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {old}")
    assert client.get("/api/v1/brands/").status_code == 401


def test_apitoken_unknown_user(db):
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        call_command("apitoken", "nobody", stdout=StringIO())
