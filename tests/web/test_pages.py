"""The inbox pages through Django's test client: what each role sees, filters, escaping."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model

from parley.accounts.models import AgentProfile, Membership, Role
from parley.inbox import actions
from parley.inbox.models import Identity, Post
from parley.inbox.templatetags.inbox_format import compact, format_wait, waiting_for, web_url
from tests.conftest import incoming
from tests.web.conftest import HTMX, url


def rows(html: str) -> list[str]:
    """The conversation refs listed on an inbox page, in order."""
    return re.findall(r'<dd class="ref">(C-\d+)</dd>', html)


# --- login and home ---------------------------------------------------------------------


def test_login_page_has_labelled_fields(client):
    html = client.get("/login/").content.decode()
    assert '<label for="id_username">' in html and '<label for="id_password">' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_login_then_home_redirects_to_the_first_brand(client, users, brand):
    response = client.post("/login/", {"username": "cara", "password": "pw-cara-123"})
    assert response.status_code == 302
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == url("list", brand)


def test_wrong_password_says_so(client, users):
    response = client.post("/login/", {"username": "cara", "password": "nope"})
    assert response.status_code == 200
    assert "do not match" in response.content.decode()


def test_anonymous_is_sent_to_login(client, brand, convs):
    for path in (url("list", brand), url("conversation", brand, convs["care"])):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_user_without_brand_gets_a_page_saying_so(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("lonely", password="x" * 12))
    response = client.get("/")
    assert response.status_code == 403 and "No brand yet" in response.content.decode()


def test_non_member_cannot_open_a_brand(client, users, other_brand):
    client.force_login(users["admin"])
    assert client.get(url("list", other_brand)).status_code == 404


# --- the list -----------------------------------------------------------------------------


def test_inbox_rows_show_what_an_agent_needs(client, brand, users, convs, teams):
    actions.add_tag(convs["care"], "shipping", users["admin"])
    actions.set_priority(convs["care"], 80, users["admin"])
    actions.assign(convs["care"], users["care_agent"], users["admin"])
    client.force_login(users["admin"])
    response = client.get(url("list", brand))
    html = response.content.decode()
    assert response.status_code == 200
    # Longest waiting first.
    assert rows(html) == [convs["care"].ref, convs["billing"].ref, convs["unrouted"].ref]
    assert "waiting 2 h 14 min" in html
    assert "@user_dana" in html and "My grinder never arrived" in html
    assert 'class="badge platform platform-x">X<' in html
    assert ">Public<" in html and ">shipping<" in html and "Urgent · 80" in html
    assert "<strong>Care</strong>" in html and "<strong class=\"assignee\">Cara</strong>" in html
    # Tabs with counts, and the brand switcher's brand.
    assert re.search(r'aria-current="page"[^>]*>Active <span class="count">3</span>', html)
    assert "Lumen" not in html and "Acme" in html


def test_agent_lists_only_own_team_and_unrouted(client, brand, users, convs):
    client.force_login(users["care_agent"])
    html = client.get(url("list", brand)).content.decode()
    assert set(rows(html)) == {convs["care"].ref, convs["unrouted"].ref}
    assert "Charged twice" not in html


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"q": "norway"}, ["unrouted"]),
        ({"status": "new"}, ["care", "billing", "unrouted"]),
        ({"status": "resolved"}, []),
        ({"team": "none"}, ["unrouted"]),
        ({"assignee": "none"}, ["care", "billing", "unrouted"]),
        ({"assignee": "me"}, []),
        ({"sort": "recent"}, ["unrouted", "billing", "care"]),
        ({"view": "mine"}, []),
        ({"priority_min": "50"}, []),
        ({"tag": "nothing"}, []),
    ],
)
def test_filters_and_sorting(client, brand, users, convs, params, expected):
    client.force_login(users["admin"])
    html = client.get(url("list", brand, **params)).content.decode()
    assert rows(html) == [convs[name].ref for name in expected]


def test_filter_by_team_channel_and_tag(client, brand, users, convs, teams, channel):
    actions.add_tag(convs["billing"], "refund", users["admin"])
    client.force_login(users["admin"])
    assert rows(client.get(url("list", brand, team=teams["billing"].pk)).content.decode()) == [convs["billing"].ref]
    assert rows(client.get(url("list", brand, tag="refund")).content.decode()) == [convs["billing"].ref]
    assert len(rows(client.get(url("list", brand, channel=channel.pk)).content.decode())) == 3
    html = client.get(url("list", brand, tag="refund")).content.decode()
    assert '<option value="refund" selected>' in html and "Clear filters" in html


def test_htmx_filter_returns_only_the_results(client, brand, users, convs):
    client.force_login(users["admin"])
    response = client.get(url("list", brand, q="grinder"), HTTP_HX_TARGET="inbox-results", **HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="inbox-results"')
    assert "<html" not in html and rows(html) == [convs["care"].ref]
    assert "HX-Request" in response["Vary"]
    # A history restore (back button) gets the whole page.
    response = client.get(url("list", brand), HTTP_HX_TARGET="inbox-results", HTTP_HX_HISTORY_RESTORE_REQUEST="true",
                          **HTMX)
    assert "<html" in response.content.decode()


def test_pagination(client, brand, users, convs, settings):
    settings.PARLEY_INBOX_PAGE_SIZE = 2
    client.force_login(users["admin"])
    first = client.get(url("list", brand)).content.decode()
    assert rows(first) == [convs["care"].ref, convs["billing"].ref] and "page 1 of 2" in first
    second = client.get(url("list", brand, page=2)).content.decode()
    assert rows(second) == [convs["unrouted"].ref] and 'rel="prev"' in second
    assert rows(client.get(url("list", brand, page="garbage")).content.decode()) == rows(first)


def test_unknown_filter_values_are_ignored(client, brand, users, convs):
    client.force_login(users["admin"])
    response = client.get(url("list", brand, status="evil", sort="drop table", view="../../", team="x",
                              priority_min="high", channel="abc"))
    assert response.status_code == 200 and len(rows(response.content.decode())) == 3


# --- the conversation -----------------------------------------------------------------------


@pytest.fixture
def thread(brand, channel, users, convs, now):
    """The care conversation with a reply, a customer follow-up, a note and odd post states."""
    conv = convs["care"]
    actions.ingest_post(brand, channel, incoming("c2", "Hello? Anyone there?", author="dana", kind="reply",
                                                 reply_to="c1", at=now - timedelta(hours=1), likes=3, reposts=2))
    actions.ingest_post(brand, channel, incoming("c3", "Private details: order 5521", author="dana", kind="dm",
                                                 thread="dm-dana", at=now - timedelta(minutes=50)))
    actions.add_note(conv, "Carrier says it is stuck in the depot", users["care_agent"])
    reply = actions.create_reply(conv, "So sorry Dana, checking now.", users["care_agent"], visibility="public")
    Post.objects.filter(platform_id="c2").update(is_deleted=True)
    Post.objects.filter(platform_id="c1").update(is_edited=True)
    return conv, reply


def test_conversation_shows_the_whole_thread_in_order(client, brand, users, thread):
    conv, reply = thread
    client.force_login(users["care_agent"])
    html = client.get(url("conversation", brand, conv)).content.decode()
    first = html.index("My grinder never arrived")
    deleted = html.index("Deleted by the author on X")
    private = html.index("Private details: order 5521")
    note = html.index("Carrier says it is stuck in the depot")
    answer = html.index("So sorry Dana, checking now.")
    assert first < deleted < private < note < answer
    assert "Hello? Anyone there?" not in html  # a deleted post's text is never shown
    assert html.count('class="vis vis-private"') >= 1 and html.count('class="vis vis-public"') >= 2
    assert "Internal note" in html and 'class="note"' in html
    assert "Pending delivery" in html and "Edited" in html
    assert "Customer" in html and "Brand" in html


def test_failed_delivery_is_shown_with_its_reason(client, brand, users, thread):
    conv, reply = thread
    Post.objects.filter(pk=reply.pk).update(delivery_status="failed", delivery_error="rate limited <b>429</b>")
    client.force_login(users["care_agent"])
    html = client.get(url("conversation", brand, conv)).content.decode()
    assert "Delivery failed: rate limited &lt;b&gt;429&lt;/b&gt;" in html


def test_customer_panel_lists_identities_and_only_visible_past_conversations(
    client, brand, channel, users, convs, teams, now
):
    dana = convs["care"].customer
    Identity.objects.create(brand=brand, customer=dana, platform="instagram", platform_user_id="ig-1",
                            handle="dana.brews", followers=48200, verified=True)
    # An older matter of Dana's, owned by billing: the care agent must not see it listed.
    older = actions.ingest_post(brand, None, incoming("o1", "Old billing question", author="dana",
                                                      at=now - timedelta(days=30))).conversation
    actions.set_team(older, teams["billing"], users["admin"])
    client.force_login(users["care_agent"])
    html = client.get(url("conversation", brand, convs["care"])).content.decode()
    assert "@dana.brews" in html and "48.2k followers" in html and "Verified" in html
    assert "Old billing question" not in html and older.ref not in html
    client.force_login(users["admin"])
    html = client.get(url("conversation", brand, convs["care"])).content.decode()
    assert older.ref in html


def test_viewer_sees_no_write_controls(client, brand, users, convs):
    client.force_login(users["viewer"])
    html = client.get(url("conversation", brand, convs["care"])).content.decode()
    assert "My grinder never arrived" in html
    assert "Save reply" not in html and "Add note" not in html and 'method="post" action="/b/' not in html
    assert "cannot change it" in html


def test_agent_of_another_team_gets_404(client, brand, users, convs):
    client.force_login(users["billing_agent"])
    assert client.get(url("conversation", brand, convs["care"])).status_code == 404
    assert client.get(url("conversation", brand, convs["billing"])).status_code == 200


def test_garbage_and_unknown_ids_are_404(client, brand, users, convs):
    client.force_login(users["admin"])
    prefix = url("list", brand)
    for path in ("c/abc/", "c/-1/", "c/99999999999999999999999/", "c/999999/", "c/1.5/"):
        assert client.get(prefix + path).status_code == 404, path


def test_htmx_live_refresh_returns_thread_and_header(client, brand, users, convs):
    client.force_login(users["admin"])
    response = client.get(url("conversation", brand, convs["care"], live=1, side=1), HTTP_HX_TARGET="thread", **HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith('<ol id="thread"')
    assert re.search(r'id="conv-head"[^>]*hx-swap-oob="true"', html)
    assert re.search(r'id="side"[^>]*hx-swap-oob="true"', html)
    assert "<html" not in html


# --- hostile text -----------------------------------------------------------------------------

HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&'


def test_hostile_text_is_escaped_everywhere(client, brand, channel, users, now):
    post = incoming("h1", HOSTILE, author="eve", at=now - timedelta(minutes=3), url="javascript:alert(3)")
    post.author.display_name = HOSTILE
    post.author.handle = "<i>eve</i>"
    conv = actions.ingest_post(brand, channel, post).conversation
    actions.add_tag(conv, "<b>tag</b>", users["admin"])
    actions.add_note(conv, "<script>alert(4)</script>", users["admin"])
    client.force_login(users["admin"])
    for html in (
        client.get(url("list", brand)).content.decode(),
        client.get(url("conversation", brand, conv)).content.decode(),
    ):
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>tag</b>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in html
        assert "&lt;i&gt;eve&lt;/i&gt;" in html
        assert "javascript:" not in html
    assert "&lt;script&gt;alert(4)&lt;/script&gt;" in html


def test_customer_text_is_isolated_for_bidi(client, brand, channel, users, convs):
    client.force_login(users["admin"])
    html = client.get(url("conversation", brand, convs["care"])).content.decode()
    assert '<p class="text" dir="auto">My grinder never arrived</p>' in html
    assert re.search(r"<bdi[^>]*>@user_dana</bdi>", html)


# --- small formatting helpers ---------------------------------------------------------------


@pytest.mark.parametrize(
    "seconds, text",
    [(0, "under a minute"), (59, "under a minute"), (60, "1 min"), (3599, "59 min"), (3600, "1 h"),
     (8040, "2 h 14 min"), (86400, "1 d"), (86400 * 3 + 3600 * 5 + 60, "3 d 5 h"), (-30, "under a minute")],
)
def test_format_wait(seconds, text):
    assert format_wait(seconds) == text


def test_waiting_for_and_compact_and_web_url(now):
    assert waiting_for(None, now) == ""
    assert waiting_for(now - timedelta(minutes=5), now) == "waiting 5 min"
    assert [compact(n) for n in (0, 999, 1000, 12400, 3_200_000, "x")] == ["0", "999", "1k", "12.4k", "3.2M", ""]
    assert web_url("https://x.com/a/status/1") == "https://x.com/a/status/1"
    for bad in ("javascript:alert(1)", "JAVASCRIPT:x", "data:text/html,hi", "//evil", "https://a b", ""):
        assert web_url(bad) == ""


def test_agent_without_profile_is_named_by_username(client, brand, convs, django_user_model):
    user = django_user_model.objects.create_user("plain", password="x" * 12)
    Membership.objects.create(user=user, brand=brand, role=Role.ADMIN)
    actions.assign(convs["care"], user, user)
    client.force_login(user)
    html = client.get(url("list", brand)).content.decode()
    assert '<strong class="assignee">plain</strong>' in html
    assert not AgentProfile.objects.filter(user=user).exists()
    assert get_user_model().objects.filter(username="plain").exists()


def test_list_queries_do_not_grow_with_rows(client, brand, channel, users, convs, now):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(start, count):
        for i in range(start, start + count):
            conv = actions.ingest_post(brand, channel, incoming(f"n{i}", f"more {i}", author=f"a{i}",
                                                                at=now - timedelta(minutes=i))).conversation
            actions.add_tag(conv, f"t{i}", users["admin"])
            actions.assign(conv, users["care_agent"], users["admin"])

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url("list", brand)).status_code == 200
        return len(ctx.captured_queries)

    client.force_login(users["admin"])
    add(0, 2)
    few = queries()
    add(2, 10)
    assert queries() == few
