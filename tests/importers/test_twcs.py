"""The Customer Support on Twitter CSV: reading, channels, threading, rejects, idempotency."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from parley.inbox.importers import ImportFileError, Record, Reject, import_file, open_file
from parley.inbox.importers.twcs import UNKNOWN_CHANNEL, parse_twitter_time
from parley.inbox.models import AuditEvent, Conversation, Customer, Identity, Post, Status
from parley.platforms.models import ChannelAccount

from .helpers import fixture, partition


def at(clock: str) -> datetime:
    hour, minute, second = (int(p) for p in clock.split(":"))
    return datetime(2020, 3, 2, hour, minute, second, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Wed Oct 11 06:55:44 +0000 2017", datetime(2017, 10, 11, 6, 55, 44, tzinfo=timezone.utc)),
        ("Tue Oct 31 22:10:47 +0000 2017", datetime(2017, 10, 31, 22, 10, 47, tzinfo=timezone.utc)),
        ("Wed Oct 11 08:55:44 +0200 2017", datetime(2017, 10, 11, 6, 55, 44, tzinfo=timezone.utc)),
        ("Wed Oct 11 05:25:44 -0130 2017", datetime(2017, 10, 11, 6, 55, 44, tzinfo=timezone.utc)),
        ("Fri Feb 30 06:55:44 +0000 2017", None),
        ("Wed Oct 11 06:55:44 2017", None),
        ("2017-10-11T06:55:44Z", None),
        ("", None),
    ],
)
def test_twitter_times(text, expected):
    assert parse_twitter_time(text) == expected


def test_malformed_rows_are_refused_with_their_line_and_reason(brand):
    items = list(open_file(fixture("twcs_malformed.csv"), "twcs", brand).records())
    rejects = {item.line: item.reason for item in items if isinstance(item, Reject)}
    assert rejects.keys() == {3, 4, 5, 6, 7, 8, 9, 12, 15, 16, 19}
    assert "created_at 'Someday soon' is not a time" in rejects[3]
    assert rejects[4] == "tweet_id is empty"
    assert rejects[5] == "author_id is empty"
    assert "inbound 'maybe' must be True or False" in rejects[6]
    assert "in_response_to_tweet_id 'abc'" in rejects[7]
    assert "expected 7 fields, found 8" in rejects[8]
    assert "broken CSV quoting" in rejects[9] and "broken CSV quoting" in rejects[12]
    assert rejects[15] == "not valid UTF-8 text"
    assert "response_tweet_id '12,x'" in rejects[16]
    assert "unexpected end of data" in rejects[19]
    # The rows after the broken quote on line 9 were read again and imported.
    good = {item.post.platform_id: item.line for item in items if isinstance(item, Record)}
    assert good == {"2001": 2, "2009": 10, "2010": 11, "2012": 13, "2013": 14, "2018": 18}


def test_channels_follow_answers_then_parents_then_mentions(brand):
    records = {r.post.platform_id: r for r in open_file(fixture("twcs_threads.csv"), "twcs", brand).records()}
    assert records["1010"].channel == "BetaBank"  # answered by BetaBank (two responses listed)
    assert records["1013"].channel == "BetaBank"  # answers a BetaBank tweet
    assert records["1030"].channel == "AcmeAir" and records["1032"].channel == "BetaBank"
    assert records["1040"].channel == "GammaTel"  # "@gammatel": a known company, any case
    assert records["1050"].channel == UNKNOWN_CHANNEL  # mentions nobody known
    assert records["1002"].channel == "AcmeAir" and records["1002"].post.author is None
    assert records["1001"].post.author.platform_user_id == "501"
    assert (records["1001"].post.kind, records["1003"].post.kind, records["1004"].post.kind) == (
        "mention", "reply", "reply",
    )
    assert "\n2) my \"savings\" tab is empty" in records["1080"].post.text


def test_existing_x_accounts_of_the_brand_are_known_companies(brand, tmp_path):
    ChannelAccount.objects.create(brand=brand, platform="x", external_id="77", handle="DeltaShop")
    path = tmp_path / "t.csv"
    path.write_text(
        "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
        "5,900,True,Mon Mar 02 09:00:00 +0000 2020,hi @deltashop my order?,,\n"
    )
    import_file(path, brand)
    assert Post.objects.get().channel.external_id == "77"


def test_import_threads_conversations(brand):
    summary = import_file(fixture("twcs_threads.csv"), brand)
    assert (summary.read, summary.imported, summary.duplicates, summary.rejected) == (24, 24, 0, 0)
    assert partition(brand) == {
        frozenset({"1001", "1002", "1003", "1004", "1005"}),
        frozenset({"1010", "1011", "1012", "1013"}),
        frozenset({"1020", "1021"}),  # one customer, two tweets: one open matter
        frozenset({"1030", "1031"}),
        frozenset({"1032"}),  # the same customer, another company
        frozenset({"1040"}),
        frozenset({"1050"}),
        frozenset({"1059"}),
        frozenset({"1060", "1061", "1062"}),  # the company wrote first (its parent is not in the file)
        frozenset({"1070", "1071"}),  # the reply's clock ran behind its parent
        frozenset({"1080", "1081"}),
    }
    handles = set(ChannelAccount.objects.filter(brand=brand, platform="x").values_list("handle", flat=True))
    assert handles == {"AcmeAir", "BetaBank", "GammaTel", UNKNOWN_CHANNEL}

    bank = Post.objects.get(platform_id="1010").conversation
    assert bank.channel.handle == "BetaBank"
    assert bank.customer.identities.get().platform_user_id == "502"
    assert (bank.created_at, bank.first_response_at, bank.waiting_since, bank.last_post_at) == (
        at("10:00:00"), at("10:02:00"), at("10:04:00"), at("10:04:00"),
    )
    assert bank.subject.startswith("@BetaBank card declined")
    assert Post.objects.get(platform_id="1013").parent.platform_id == "1012"

    late = Post.objects.get(platform_id="1070").conversation
    assert late.customer.identities.get().platform_user_id == "509"
    # By the timestamps the answer came first, so the customer's post still waits.
    assert (late.created_at, late.first_response_at, late.waiting_since) == (at("15:59:00"), None, at("16:00:00"))
    assert Post.objects.get(platform_id="1071").parent.platform_id == "1070"

    assert not Post.objects.filter(direction="out", author__isnull=False).exists()
    assert set(Conversation.objects.exclude(status=Status.MERGED).values_list("status", flat=True)) == {Status.NEW}
    assert Customer.objects.filter(brand=brand).count() == 9  # 501-510 wrote, except 507
    assert AuditEvent.objects.filter(verb="conversation.created", actor_label="import").count() == 11


def _counts():
    return (Post.objects.count(), Conversation.objects.count(), Customer.objects.count(),
            Identity.objects.count(), AuditEvent.objects.count(), ChannelAccount.objects.count())


def test_importing_twice_changes_nothing(brand):
    import_file(fixture("twcs_threads.csv"), brand)
    before = _counts()
    shot = sorted(Conversation.objects.values_list("pk", "status", "last_post_at", "waiting_since"))
    again = import_file(fixture("twcs_threads.csv"), brand, batch_size=5)
    assert (again.read, again.imported, again.duplicates, again.rejected) == (24, 0, 24, 0)
    assert _counts() == before
    assert sorted(Conversation.objects.values_list("pk", "status", "last_post_at", "waiting_since")) == shot


def test_malformed_file_imports_the_rest_and_counts(brand, settings):
    settings.PARLEY_MAX_POST_CHARS = 300
    seen = []
    summary = import_file(fixture("twcs_malformed.csv"), brand, on_reject=seen.append)
    assert (summary.read, summary.imported, summary.duplicates, summary.rejected) == (17, 6, 0, 11)
    assert summary.truncated == 1
    assert [r.line for r in seen] == [3, 4, 5, 6, 7, 8, 9, 12, 15, 16, 19]
    assert [r.line for r in summary.rejects] == [r.line for r in seen]
    hostile = Post.objects.get(platform_id="2012").text
    assert "<script>alert('x')</script>" in hostile and "\u200b" in hostile and "\u202e" in hostile
    emoji = Post.objects.get(platform_id="2013").text
    assert len(emoji) == 300 and emoji.startswith("@AcmeAir \U0001F600")
    assert Post.objects.get(platform_id="2018").parent.platform_id == "2001"


def test_ten_kilobytes_of_emoji_are_kept_whole(brand):
    import_file(fixture("twcs_malformed.csv"), brand)
    text = Post.objects.get(platform_id="2013").text
    assert len(text.encode()) > 10_000 and text.endswith("\U0001F44D")


@pytest.mark.parametrize(
    "content, message",
    [
        ("", "is empty"),
        ("id,text\n1,hello\n", "not a Customer Support on Twitter CSV"),
        ('{"platform": "x"}\n', "not a Customer Support on Twitter CSV"),
    ],
)
def test_a_file_that_is_not_twcs_is_refused_whole(brand, tmp_path, content, message):
    path = tmp_path / "x.csv"
    path.write_text(content)
    with pytest.raises(ImportFileError, match=message):
        import_file(path, brand, fmt="twcs")
    assert Post.objects.count() == 0
