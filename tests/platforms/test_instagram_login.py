"""Instagram API with Instagram Login: deliveries signed with the Instagram app secret (installation-wide
at /hooks/meta/, or a channel's own at /hooks/instagram/<id>/, applied to that channel only).
Known answers computed with `openssl dgst -sha256 -hmac SECRET -hex < meta_instagram_dm.json`."""

from __future__ import annotations

import pytest

from parley.inbox.models import Post
from parley.platforms.meta import webhooks as meta
from parley.platforms.models import ChannelAccount, WebhookDelivery
from tests.conftest import shared_path

from .conftest import IG_ACCOUNT, process_queued

BODY_NAME = "meta_instagram_dm.json"
IG_SECRET = "ig_login_secret_7f3a"
IG_SIGNATURE = "sha256=6361e853255064962b6ace4e9de85533b1d96e8e736fed16e49e6f5cba557753"
META_SIGNATURE = "sha256=bd17a4530920c7c8389c980b88c627de63582af1a6445a982aac5044c87fb52d"  # test_app_secret_123
OWN_SECRET = "brand_own_ig_secret"
OWN_SIGNATURE = "sha256=df3bc12da35223ea597441455cbfa84c7059d0866d266c29b9ce3ca942642ac3"


@pytest.fixture
def body():
    return shared_path("fixtures", "platform", BODY_NAME).read_bytes()


def _post(client, url, body, signature):
    return client.post(url, data=body, content_type="application/json", HTTP_X_HUB_SIGNATURE_256=signature)


def test_known_answers(body):
    assert meta.sign(IG_SECRET, body) == IG_SIGNATURE
    assert meta.sign(OWN_SECRET, body) == OWN_SIGNATURE
    assert meta.signature_ok_any(("test_app_secret_123", IG_SECRET), body, IG_SIGNATURE)
    assert meta.signature_ok_any(("test_app_secret_123", IG_SECRET), body, META_SIGNATURE)
    assert not meta.signature_ok_any(("test_app_secret_123",), body, IG_SIGNATURE)
    assert not meta.signature_ok_any((), body, IG_SIGNATURE)


@pytest.mark.django_db
def test_meta_endpoint_accepts_the_instagram_app_secret_when_set(client, body, ig_channel, settings):
    assert _post(client, "/hooks/meta/", body, IG_SIGNATURE).status_code == 403  # not configured yet
    settings.PARLEY_INSTAGRAM_APP_SECRET = IG_SECRET
    assert _post(client, "/hooks/meta/", body, IG_SIGNATURE).status_code == 200
    process_queued()
    assert Post.objects.get().text == "Hi, where is my order?"
    # The Facebook app's secret still works, and a signature by neither is refused.
    settings.PARLEY_META_APP_SECRET = "test_app_secret_123"
    assert _post(client, "/hooks/meta/", body, META_SIGNATURE).json() == {"received": True, "duplicate": True}
    assert _post(client, "/hooks/meta/", body, OWN_SIGNATURE).status_code == 403


@pytest.mark.django_db
def test_only_the_instagram_secret_configured(client, body, ig_channel, settings):
    settings.PARLEY_META_APP_SECRET = ""
    assert _post(client, "/hooks/meta/", body, IG_SIGNATURE).status_code == 503
    settings.PARLEY_INSTAGRAM_APP_SECRET = IG_SECRET
    assert _post(client, "/hooks/meta/", body, IG_SIGNATURE).status_code == 200


@pytest.mark.django_db
def test_a_channels_own_app_secret_signs_for_that_channel_only(client, body, brand, other_brand):
    ours = ChannelAccount(brand=brand, platform="instagram", external_id=IG_ACCOUNT, handle="acme")
    ours.set_credentials({"access_token": "ig-token-1", "app_secret": OWN_SECRET})
    ours.save()
    url = f"/hooks/instagram/{ours.pk}/"
    assert _post(client, url, body, IG_SIGNATURE).status_code == 403
    assert client.post(url, data=body, content_type="application/json").status_code == 401
    assert _post(client, url, body, OWN_SIGNATURE).status_code == 200
    process_queued()
    post = Post.objects.get()
    assert post.channel == ours and WebhookDelivery.objects.get().platform == f"meta:{ours.pk}"
    # The same account connected by another brand is not reached through this brand's secret.
    theirs = ChannelAccount(brand=other_brand, platform="instagram", external_id=IG_ACCOUNT, handle="acme")
    theirs.set_credentials({"access_token": "t"})
    theirs.save()
    forged = body.replace(b"where is my order", b"where is my parcel")
    assert _post(client, url, forged, meta.sign(OWN_SECRET, forged)).status_code == 200
    process_queued()
    assert not Post.objects.filter(brand=other_brand).exists()
    assert Post.objects.filter(brand=brand).count() == 1  # the same mid: a duplicate for ours
    # And a delivery naming an account that is not this channel's is not applied at all.
    elsewhere = body.replace(IG_ACCOUNT.encode(), b"17840000000000001")
    _post(client, url, elsewhere, meta.sign(OWN_SECRET, elsewhere))
    [delivery] = process_queued()
    assert delivery.summary.get("unrouted") == 1 and Post.objects.count() == 1


@pytest.mark.django_db
def test_channel_endpoint_challenge_and_unknown_channels(client, ig_channel, fb_channel):
    ok = client.get(f"/hooks/instagram/{ig_channel.pk}/", {"hub.mode": "subscribe", "hub.verify_token": "meatyhamhock",
                                                          "hub.challenge": "1158201444"})
    assert ok.status_code == 200 and ok.content == b"1158201444"
    bad = client.get(f"/hooks/instagram/{ig_channel.pk}/", {"hub.mode": "subscribe", "hub.verify_token": "nope",
                                                           "hub.challenge": "1"})
    assert bad.status_code == 403
    assert client.get(f"/hooks/instagram/{fb_channel.pk}/").status_code == 404
    # No app secret stored on the channel: nothing is accepted.
    assert _post(client, f"/hooks/instagram/{ig_channel.pk}/", b"{}", meta.sign("", b"{}")).status_code == 503


@pytest.mark.django_db
def test_channel_page_shows_the_instagram_login_url(client, users, ig_channel):
    client.force_login(users["admin"])
    page = client.get(f"/b/acme/channels/{ig_channel.pk}/").content.decode()
    assert f"http://testserver/hooks/instagram/{ig_channel.pk}/" in page and "Instagram app secret" in page
