import pytest

from parley.inbox.formats import FormatError, post_from_dict


def good(**over):
    data = {
        "platform": "x", "id": "1", "text": "hi", "created_at": "2026-11-20T10:00:00Z",
        "author": {"id": 42, "handle": "@dana", "followers": 3}, "channel": "AcmeHelp",
        "metrics": {"likes": 2},
    }
    data.update(over)
    return data


def test_parses_the_generic_format():
    post, channel = post_from_dict(good())
    assert (post.platform_id, post.author.platform_user_id, post.author.handle, post.likes) == ("1", "42", "dana", 2)
    assert channel == "AcmeHelp" and post.created_at.utcoffset().total_seconds() == 0


@pytest.mark.parametrize(
    "data, message",
    [
        ([], "JSON object"),
        ({"platform": "x"}, "missing field"),
        (good(created_at="yesterday"), "ISO 8601"),
        (good(created_at="2026-11-20T10:00:00"), "time zone"),
        (good(author="dana"), "author must be an object"),
        (good(author={"handle": "x"}), "author.id"),
        (good(metrics={"likes": "many"}), "metrics.likes"),
        (good(text=5), "text must be a string"),
        (good(author={"id": "1", "verified": "yes"}), "verified"),
    ],
)
def test_malformed_records_say_why(data, message):
    with pytest.raises(FormatError, match=message):
        post_from_dict(data)
