"""The IBM customer-care conversation JSON: dialogs become conversations."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from parley.inbox.importers import ImportFileError, Record, Reject, import_file, open_file
from parley.inbox.importers.ibm import snowflake_time
from parley.inbox.models import Conversation, Post, Status

from .helpers import fixture, partition

UTC = timezone.utc


def test_snowflake_ids_carry_their_time():
    moment = datetime(2020, 4, 1, 17, 31, 32, 250000, tzinfo=UTC)
    milliseconds = int(moment.timestamp() * 1000) - 1288834974657
    assert snowflake_time(str((milliseconds << 22) + 4095)) == moment
    assert snowflake_time("424242") is None and snowflake_time("abc") is None


def test_records_and_rejects_with_lines(brand):
    items = list(open_file(fixture("ibm_dialogs.json"), "auto", brand).records())
    rejects = [(r.line, r.reason) for r in items if isinstance(r, Reject)]
    assert rejects == [
        (92, "dialog sessAcme003, message 2: datetime 'yesterday afternoon' is not an ISO 8601 time"),
        (128, "dialog 5: each dialog must be a JSON object"),
        (129, "dialog 6: dialogHeader.company must name the company's handle"),
    ]
    records = [r for r in items if isinstance(r, Record)]
    assert len(records) == 17
    first, agent, answer, final = records[:4]
    assert (first.post.direction, first.post.kind, first.post.author.handle, first.channel) == (
        "in", "mention", "dana_k", "AcmeAir",
    )
    assert (agent.post.direction, agent.post.author, agent.post.in_reply_to_id) == ("out", None, first.post.platform_id)
    assert answer.post.platform_conversation_id == first.post.platform_id
    assert final.post.text.startswith("@dana_k This guide") and final.post.in_reply_to_id == answer.post.platform_id
    assert final.post.created_at == datetime(2020, 3, 2, 9, 10, tzinfo=UTC)  # from its id
    by_id = {r.post.platform_id: r for r in records}
    assert by_id["424242"].post.created_at == datetime(2020, 3, 2, 15, 45, 30, tzinfo=UTC)  # start + duration
    lee = next(r for r in records if r.post.author and r.post.author.handle == "lee_w")
    assert lee.post.direction == "in"  # "client1" is a second customer


def test_each_dialog_is_one_conversation(brand):
    summary = import_file(fixture("ibm_dialogs.json"), brand)
    assert (summary.read, summary.imported, summary.duplicates, summary.rejected) == (20, 14, 3, 3)
    groups = partition(brand)
    assert len(groups) == 5 and sorted(len(g) for g in groups) == [2, 2, 3, 3, 4]
    pat = Post.objects.get(text="@AcmeAir it's for my sister").conversation
    assert pat.posts.count() == 3  # its middle message was refused; the thread id still joins them
    routes = Post.objects.get(author__handle="lee_w").conversation
    assert routes.customer.identities.get().handle == "AcmeAirNews"  # the thread's first writer
    assert routes.channel.handle == "AcmeAir"
    assert set(Conversation.objects.values_list("status", flat=True)) == {Status.NEW}
    assert Post.objects.filter(direction="out", author__isnull=True).count() == 6
    assert Post.objects.get(platform_id="424242").url == "https://x.com/i/web/status/424242"


def test_importing_twice_changes_nothing(brand):
    import_file(fixture("ibm_dialogs.json"), brand)
    before = (Post.objects.count(), Conversation.objects.count())
    again = import_file(fixture("ibm_dialogs.json"), brand)
    assert (again.imported, again.duplicates, again.rejected) == (0, 17, 3)
    assert (Post.objects.count(), Conversation.objects.count()) == before


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "is not valid JSON"),
        ('{"dialogHeader": {}}', "must be a JSON list of dialogs"),
        ("[]   ]", "text after the closing"),
        ("", "is empty"),
    ],
)
def test_unreadable_files_are_refused_whole(brand, tmp_path, content, message):
    path = fixture("ibm_broken.json") if content is None else tmp_path / "x.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(ImportFileError, match=message):
        import_file(path, brand, fmt="ibm")
    assert Post.objects.count() == 0


def test_broken_json_names_its_line(brand):
    with pytest.raises(ImportFileError, match=r"at line \d+, column \d+"):
        import_file(fixture("ibm_broken.json"), brand, fmt="ibm")
