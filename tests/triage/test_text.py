"""Normalisation, language detection, private data and topics (pure functions)."""

import pytest

from parley.triage import language, private_data
from parley.triage.normalize import MAX_MODEL_CHARS, clean
from parley.triage.topics import TopicSet


def test_clean_strips_markup_invisible_characters_links_and_handles():
    text = "<p>Hi&nbsp;<b>@AcmeHelp</b></p><script>alert(1)</script> my\u200b order\u202e https://t.co/x?y=1 !!!!!!"
    cleaned = clean(text)
    assert "<" not in cleaned.plain and "alert" not in cleaned.plain
    assert "\u200b" not in cleaned.plain and "\u202e" not in cleaned.plain
    assert "my order" in cleaned.plain
    assert cleaned.model == "hi @user my order http !!!"


def test_clean_repairs_mojibake_and_caps_length():
    assert clean("cafÃ© closed").plain == "café closed"
    assert len(clean("a" * 10_000).model) <= MAX_MODEL_CHARS
    assert clean("").plain == "" and clean("   \u200b ").plain == ""


@pytest.mark.parametrize(
    "text, code, covered",
    [
        ("my order never arrived lol", "en", True),
        ("ok thanks", "en", True),
        ("Mi pedido no ha llegado todavía, quiero un reembolso", "es", False),
        ("Ma commande n'est toujours pas arrivée, c'est nul", "fr", False),
        ("Meine Bestellung ist noch nicht da, bitte helfen", "de", False),
        ("Привет, где мой заказ?", "ru", False),
        ("我的订单还没到", "zh", False),
        ("注文がまだ届きません", "ja", False),
        ("주문이 아직 안 왔어요", "ko", False),
        ("طلبي لم يصل بعد", "ar", False),
        ("😡😡😡", None, True),
        ("12345 !!!", None, True),
        ("@acme my order 注文 never came and nobody answers", "en", True),
    ],
)
def test_language(text, code, covered):
    found = language.detect(text)
    assert (found.code, found.covered) == (code, covered)
    assert (found.reason == "") == covered


def kinds(text):
    return private_data.kinds(private_data.find(text))


def test_private_data_kinds_and_spans():
    text = "email me at jane.doe@example.com or call +1 415-555-0132, order #112-3456789-1234567"
    found = private_data.find(text)
    assert [f.kind for f in found] == ["email", "phone", "order_number"]
    assert text[found[0].start : found[0].end] == "jane.doe@example.com"
    assert "415-555-0132" in text[found[1].start : found[1].end]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("my card 4111 1111 1111 1111 was charged twice", ["card"]),
        ("my card 4111 1111 1111 1112 was charged twice", []),  # fails Luhn: not a card
        ("order number 98765432 still missing", ["order_number"]),
        ("account no: 12345678 locked", ["account_number"]),
        ("IBAN GB82 WEST 1234 5698 7654 32 please refund", ["account_number"]),
        ("send it to 221 Baker Street please", ["address"]),
        ("I live at SW1A 1AA", ["address"]),
        ("020 7946 0018 is my landline", []),  # a UK number is not valid in the default US region
        ("call me on 020 7946 0018", ["phone"]),  # ... but after "call me on" it is a phone in any format
        # the patterns the composer's private_data check used to add on its own, now one detector:
        ("my booking reference is XK4T92", ["order_number"]),
        ("deliver to 9 Rue de la Paix, Paris", ["address"]),
        ("ring my mobile +33 6 12 34 56 78", ["phone"]),
        ("see https://help.example.com/article/4111111111111111 for the steps", []),  # links are skipped
        ("I waited 45 minutes for 2 hours", []),
        ("no private data here", []),
    ],
)
def test_private_data_cases(text, expected):
    assert kinds(text) == expected


def test_phone_region_is_configurable():
    assert private_data.kinds(private_data.find("020 7946 0018 is my landline", region="GB")) == ["phone"]


def test_luhn():
    assert private_data.luhn_ok("4111111111111111")
    assert not private_data.luhn_ok("4111111111111112")


def test_default_topics_and_brand_topics():
    topics = TopicSet()
    assert topics.match("You charged me twice and the app keeps crashing") == ["billing", "app"]
    assert topics.match("lovely weather") == []
    brand = TopicSet({"loyalty": {"keywords": ["points", "reward*"]},
                      "menu": {"examples": ["the burger was cold and soggy"]}})
    assert brand.match("where are my rewards?") == ["loyalty"]
    assert brand.match("my burger was soggy and cold again") == ["menu"]
    assert brand.match("deliver it please") == []
    assert TopicSet({}).match("anything") == []
