"""Known-answer tests for the CRC and signatures (values from ../shared/fixtures/platform), through the real views."""

from __future__ import annotations

import json

import pytest

from parley.platforms.meta import webhooks as meta
from parley.platforms.x import webhooks as x
from tests.conftest import shared_path


def kat(name):
    return json.loads(shared_path("fixtures", "platform", name).read_text())


def test_x_crc_known_answer():
    k = kat("x_crc_and_signature_kat.json")
    assert x.crc_response(k["consumer_secret"], k["crc_token"]) == k["expected_response_body"]


def test_x_signature_known_answer():
    k = kat("x_crc_and_signature_kat.json")
    body = shared_path("fixtures", "platform", "x_aaa_direct_message_events.json").read_bytes()
    assert x.sign(k["consumer_secret"], body) == k["expected_signature_header"]
    assert x.signature_ok(k["consumer_secret"], body, k["expected_signature_header"])
    assert not x.signature_ok(k["consumer_secret"], body + b" ", k["expected_signature_header"])
    assert not x.signature_ok("", body, k["expected_signature_header"])


def test_meta_signature_known_answer():
    k = kat("meta_verification_and_signature_kat.json")
    body = shared_path("fixtures", "platform", "meta_page_feed_comment_add.json").read_bytes()
    assert meta.sign(k["app_secret"], body) == k["expected_signature_header"]
    assert meta.signature_ok(k["app_secret"], body, k["expected_signature_header"].upper().replace("SHA256", "sha256"))
    assert not meta.signature_ok("other", body, k["expected_signature_header"])


@pytest.mark.django_db
def test_x_crc_view(client, settings):
    k = kat("x_crc_and_signature_kat.json")
    settings.PARLEY_X_CONSUMER_SECRET = k["consumer_secret"]
    response = client.get("/hooks/x/", {"crc_token": k["crc_token"]})
    assert response.status_code == 200
    assert response.json() == k["expected_response_body"]
    assert client.get("/hooks/x/").status_code == 400


@pytest.mark.django_db
def test_x_crc_refused_without_secret(client, settings):
    settings.PARLEY_X_CONSUMER_SECRET = ""
    assert client.get("/hooks/x/", {"crc_token": "abc"}).status_code == 503


@pytest.mark.django_db
def test_meta_hub_challenge_view(client, settings):
    k = kat("meta_verification_and_signature_kat.json")
    settings.PARLEY_META_VERIFY_TOKEN = "meatyhamhock"
    path, query = k["verification_request"].split(" ")[1].split("?")
    response = client.get(f"/hooks/meta/?{query}")
    assert response.status_code == k["expected_response"]["status"]
    assert response.content.decode() == k["expected_response"]["body"]
    assert response["Content-Type"].startswith(k["expected_response"]["content_type"])
    wrong = client.get("/hooks/meta/?hub.mode=subscribe&hub.challenge=1&hub.verify_token=nope")
    assert wrong.status_code == k["wrong_token_expected_status"]


def test_verify_token_derived_when_unset(settings):
    settings.PARLEY_META_VERIFY_TOKEN = ""
    token = meta.verify_token()
    assert len(token) == 32 and token == meta.verify_token()
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert meta.verify_token() != token
