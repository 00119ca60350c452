"""The simulator as a tool: `parley simulate` serves the fake APIs, and its demo stream is accepted by Parley."""

from __future__ import annotations

import itertools
import json
import threading
import time
import urllib.request

import pytest
from django.core.management import call_command

from parley.inbox.models import Post
from parley.platforms.simulator.push import demo_stream

from .conftest import PAGE_ID, X_ACCOUNT, process_queued, signed_post


@pytest.mark.django_db
def test_demo_stream_deliveries_are_accepted_and_stored(client, x_channel, fb_channel):
    deliveries = list(itertools.islice(demo_stream(X_ACCOUNT, PAGE_ID), 40))
    assert {family for family, _ in deliveries} == {"x", "meta"}
    for family, body in deliveries:
        assert signed_post(client, family, body).status_code == 200
    process_queued()
    assert Post.objects.count() == 40
    assert set(Post.objects.values_list("platform", flat=True)) == {"x", "facebook"}


def test_simulate_command_serves_and_takes_faults_over_http():

    port = 8291
    thread = threading.Thread(target=call_command, args=("simulate",), kwargs={"port": port, "seconds": 3}, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    for _ in range(50):
        try:
            urllib.request.urlopen(base + "/_sim/requests", timeout=1)
            break
        except OSError:
            time.sleep(0.05)
    request = urllib.request.Request(base + "/_sim/faults", data=json.dumps({"kind": "rate_limit", "match": "/2/tweets"}).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    assert json.load(urllib.request.urlopen(request))["queued"]["kind"] == "rate_limit"
    tweet = urllib.request.Request(base + "/2/tweets", data=b'{"text": "hi"}', method="POST",
                                   headers={"Content-Type": "application/json", "Authorization": "Bearer t"})
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(tweet)
    assert error.value.code == 429 and int(error.value.headers["x-rate-limit-reset"]) > time.time()
    assert urllib.request.urlopen(tweet).status == 201
    record = json.load(urllib.request.urlopen(base + "/_sim/requests"))["requests"]
    assert [r["path"] for r in record] == ["/2/tweets", "/2/tweets"] and "authorization" not in record[0]["headers"]
    thread.join(timeout=10)
