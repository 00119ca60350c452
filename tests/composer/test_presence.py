"""Presence (who else is viewing or typing) and the reply modes, as pure functions and through HTTP."""

from __future__ import annotations

import json
from datetime import timedelta

from parley.composer import actions
from parley.composer.modes import modes
from parley.composer.presence import Beat, others
from tests.conftest import T0

TTL, TYPING = timedelta(seconds=30), timedelta(seconds=8)


def test_others_expire_after_the_ttl_and_typing_after_its_own():
    beats = [
        Beat(1, "Me", T0, T0),
        Beat(2, "Ana", T0 - timedelta(seconds=5), None),
        Beat(3, "Ben", T0 - timedelta(seconds=2), T0 - timedelta(seconds=2)),
        Beat(4, "Cy", T0 - timedelta(seconds=31), None),
        Beat(5, "Dee", T0 - timedelta(seconds=3), T0 - timedelta(seconds=20)),
    ]
    shown = others(beats, me=1, now=T0, ttl=TTL, typing_ttl=TYPING)
    assert [o.sentence for o in shown] == ["Ben is typing", "Ana is viewing", "Dee is viewing"]


def test_heartbeats_show_each_agent_to_the_other_and_leaving_removes_them(conv, users):
    ana, ben = users["care_agent"], users["supervisor"]
    assert actions.note_presence(conv, ana, "viewing", now=T0) == []
    seen_by_ben = actions.note_presence(conv, ben, "typing", now=T0 + timedelta(seconds=1))
    assert [o.sentence for o in seen_by_ben] == ["Cara is viewing"]
    seen_by_ana = actions.note_presence(conv, ana, "viewing", now=T0 + timedelta(seconds=2))
    assert [o.sentence for o in seen_by_ana] == ["Sam is typing"]
    later = actions.note_presence(conv, ana, "viewing", now=T0 + timedelta(seconds=12))
    assert [o.sentence for o in later] == ["Sam is viewing"]  # stopped typing: no keystroke for 8 s
    gone = actions.note_presence(conv, ana, "viewing", now=T0 + timedelta(seconds=40))
    assert gone == []  # Sam's page fell silent past the TTL
    actions.note_presence(conv, ben, "left", now=T0 + timedelta(seconds=41))
    assert actions.note_presence(conv, ana, "viewing", now=T0 + timedelta(seconds=42)) == []


def test_the_presence_endpoint(client, conv, users, teams):
    path = f"/b/{conv.brand.slug}/c/{conv.pk}/compose/presence"
    client.force_login(users["supervisor"])
    assert client.post(path, json.dumps({"state": "typing"}), content_type="application/json").status_code == 200
    client.force_login(users["care_agent"])
    r = client.post(path, json.dumps({"state": "viewing"}), content_type="application/json")
    assert r.status_code == 200
    assert r.json()["others"] == [{"user_id": users["supervisor"].pk, "name": "Sam", "state": "typing",
                                   "text": "Sam is typing"}]
    assert r.json()["newest_post_id"] > 0
    r = client.post(path, {"state": "left", "csrfmiddlewaretoken": "x"})  # what sendBeacon sends
    assert r.status_code == 200
    assert client.post(path, json.dumps({"state": "dancing"}), content_type="application/json").status_code == 400
    assert client.get(path).status_code == 405
    conv.team = teams["billing"]
    conv.save()
    assert client.post(path, json.dumps({"state": "viewing"}), content_type="application/json").status_code == 404


def test_modes_by_channel():
    now = T0
    x = modes("x", "public", None, now)
    assert [(m.value, m.label, m.checked) for m in x] == [("public", "Public reply", True),
                                                         ("private", "Direct message", False)]
    fb = modes("facebook", "private", None, now)
    assert fb[1].checked and "allows a message only in answer" in fb[1].hint
    assert "only the customer" in modes("facebook", "private", now - timedelta(hours=1), now)[1].hint
    assert [m.value for m in modes("youtube", "private", None, now)] == ["public"]
    assert modes("youtube", "private", None, now)[0].checked
    assert [(m.label, m.checked) for m in modes("email", "private", None, now)] == [("Email", True)]


def test_a_phone_callback_from_the_composer(client, conv, users):
    from parley.sla.callbacks import phone_of
    from parley.sla.models import Callback

    client.force_login(users["care_agent"])
    path = f"/b/{conv.brand.slug}/c/{conv.pk}/callback/"
    r = client.post(path, {"phone": "not a number", "preferred_at": "2026-11-24T14:30"})
    assert r.status_code == 422
    html = r.content.decode()
    assert "is not a phone number" in html and 'value="not a number"' in html and "<details class=\"composer-callback\" open>" in html
    r = client.post(path, {"phone": "+1 415 555 0134", "preferred_at": "2026-11-24T14:30"}, follow=True)
    callback = Callback.objects.get(conversation=conv)
    assert phone_of(callback) == "+14155550134" and callback.preferred_at.isoformat() == "2026-11-24T14:30:00+00:00"
    html = r.content.decode()
    assert "Callback requested for 24 Nov, 14:30 (number ending 134)" in html
    assert "415 555 0134" not in html and "4155550134" not in html  # the number is never echoed back
    assert client.post(path, {"phone": "+1 415 555 0134"}).status_code == 422  # no time: a clear error
    client.force_login(users["viewer"])
    assert client.post(path, {"phone": "+1 415 555 0134", "preferred_at": "2026-11-24T14:30"}).status_code == 403
