"""Each guardrail on its own: what fires, what does not, and where the span points."""

from __future__ import annotations


import pytest

from parley.composer.guardrails import CHECKS, Context, ContextError, check
from parley.composer.guardrails.length import x_length

PUBLIC_X = {"channel": "x", "visibility": "public"}


def named(draft, name, **record):
    ctx = {**PUBLIC_X, **record}
    return [f for f in check(draft, ctx) if f.check == name]


def spans(draft, name, **record):
    return [draft[f.start:f.end] for f in named(draft, name, **record)]


def test_every_check_of_the_issue_is_registered_under_its_name():
    assert list(CHECKS) == [
        "private_data", "length", "tone", "apology_liability", "missing_apology", "missing_name",
        "missing_signature", "blanket_statement", "vague_promise", "troll_engagement", "pile_on",
        "public_data_request",
    ]


# --- private_data ---------------------------------------------------------------------------

def test_known_customer_data_is_blocked_in_public_however_it_is_spaced():
    customer = {"first_name": "Dana", "phone": "+1 (415) 555-0134", "email": "Dana.K@example.org",
                "order_numbers": ["WL-88231"], "address": "12 Harbour Road, Leith, EH6 6LX"}
    draft = "Hi Dana, we rang 415 555 0134 about order wl 88231 and wrote to dana.k@EXAMPLE.org; it's going to 12 Harbour Road."
    got = named(draft, "private_data", customer=customer)
    assert [draft[f.start:f.end] for f in got] == ["415 555 0134", "wl 88231", "dana.k@EXAMPLE.org", "12 Harbour Road"]
    assert all(f.level == "block" for f in got)
    assert "own" in got[0].message


def test_private_data_is_allowed_in_a_private_message():
    draft = "Your order 123-4567890-1234567 ships to 12 Harbour Road; we'll call 415-555-0134."
    assert named(draft, "private_data", visibility="private") == []
    assert len(named(draft, "private_data")) == 3


@pytest.mark.parametrize("draft, fragment", [
    ("Write to sam.q@example.com please", "sam.q@example.com"),
    ("Card 4111 1111 1111 1111 was charged", "4111 1111 1111 1111"),
    ("We'll ring you on 020 7946 0958 later", "020 7946 0958"),
    ("Your account number 55512345 is closed", "55512345"),
    ("It went to 221B Baker Street", "221B Baker Street"),
])
def test_private_patterns_are_blocked(draft, fragment):
    assert spans(draft, "private_data", brand={"region": "GB"}) == [fragment]


def test_brand_public_contacts_and_brand_patterns():
    draft = "Call us on 0800 123 4567 or write to help@acme.example. Ticket TKT-004211 is open."
    brand = {"region": "GB", "public_contacts": ["0800 123 4567", "help@acme.example"],
             "private_patterns": [{"name": "ticket", "pattern": r"TKT-\d{6}"}]}
    got = named(draft, "private_data", brand=brand)
    assert [draft[f.start:f.end] for f in got] == ["TKT-004211"]
    assert "ticket" in got[0].message


def test_a_bad_brand_pattern_is_a_clear_error():
    with pytest.raises(ContextError, match="not a valid regular expression"):
        check("hi", {"brand": {"private_patterns": [{"name": "x", "pattern": "(("}]}})


def test_zero_width_characters_do_not_hide_an_email_and_spans_point_into_the_original():
    draft = "Mail j\u200bo@exa\u200dmple.com now"
    got = named(draft, "private_data")
    assert [draft[f.start:f.end] for f in got] == ["j\u200bo@exa\u200dmple.com"]


# --- length -----------------------------------------------------------------------------------

def test_x_weighted_length():
    assert x_length("hello") == 5
    assert x_length("日本語") == 6
    assert x_length("👨‍👩‍👧 🇬🇧") == 5
    assert x_length("see https://example.com/a/very/long/path/indeed ok") == 4 + 23 + 3
    assert x_length("café") == x_length("cafe\u0301") == 4


def test_length_blocks_over_280_weighted_and_points_at_the_overflow():
    ok = "a" * 280
    assert named(ok, "length") == []
    draft = "日" * 141
    got = named(draft, "length")
    assert len(got) == 1 and got[0].level == "block" and got[0].start == 140 and got[0].end == 141
    assert "thread" in got[0].suggestion and "private" in got[0].suggestion
    url_heavy = " ".join(["https://example.com/" + "x" * 200] * 12)  # 12 links: 12*23 + 11 = 287
    assert named(url_heavy, "length")
    assert named("https://example.com/" + "x" * 400, "length") == []


def test_other_channels_limits():
    assert named("a" * 2_201, "length", channel="instagram")
    assert not named("a" * 2_200, "length", channel="instagram")
    assert named("a" * 1_001, "length", channel="instagram", visibility="private")
    assert not named("a" * 5_000, "length", channel="facebook")
    assert named("a" * 2_001, "length", channel="facebook", visibility="private")
    assert not named("a" * 500, "length", channel="x", visibility="private")


# --- tone ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("draft, fragment", [
    ("As I already said, the refund takes 5 days.", "As I already said"),
    ("Calm down, we are on it.", "Calm down"),
    ("You should have kept the receipt.", "You should have"),
    ("Per our policy we cannot refund opened items.", "Per our policy"),
    ("That's a stupid question.", "stupid"),
])
def test_tone_hits(draft, fragment):
    assert fragment in spans(draft, "tone")


def test_shouting_and_jokes_in_complaints():
    assert named("WE ARE LOOKING INTO THIS RIGHT NOW", "tone")[0].message.startswith("Shouting")
    assert named("Please DM us your iOS version and the URL.", "tone") == []
    assert spans("Oops haha, the parcel went to Mars", "tone", context={"intent": "complaint"}) == ["haha"]
    assert spans("Oops haha, glad you liked it", "tone", context={"intent": "praise"}) == []


def test_negative_framing_is_info_and_softened_when_an_offer_follows():
    got = named("We can't refund it.", "tone")
    assert [f.level for f in got] == ["info"]
    assert named("We can't refund it, but we can replace it today.", "tone") == []


def test_polite_reply_has_no_tone_findings():
    assert named("Hi Maya, I'm sorry the jacket arrived damaged. I've sent a replacement today. ^Ann", "tone") == []


# --- apology policy -------------------------------------------------------------------------

def test_liability_apologies_warn_under_sympathy_only_unless_known_issue():
    draft = "We apologize, this was our fault."
    assert spans(draft, "apology_liability") == ["We apologize", "our fault"]
    assert spans(draft, "apology_liability", context={"known_issue": True}) == []
    assert spans(draft, "apology_liability", brand={"apology_policy": "always_apologise"}) == []
    assert spans("I'm so sorry to hear that.", "apology_liability") == []


def test_missing_apology_under_always_apologise():
    brand = {"apology_policy": "always_apologise"}
    assert named("We'll send a new one today.", "missing_apology", brand=brand, context={"intent": "complaint"})
    assert not named("Sorry about this! We'll send a new one today.", "missing_apology", brand=brand,
                     context={"intent": "complaint"})
    assert not named("Glad you like it!", "missing_apology", brand=brand, context={"intent": "praise"})
    assert not named("We'll send a new one today.", "missing_apology", context={"intent": "complaint"})


# --- personal touch -------------------------------------------------------------------------

def test_missing_name_and_signature():
    customer = {"first_name": "Zoë"}
    assert named("Thanks for waiting!", "missing_name", customer=customer)
    assert not named("Thanks for waiting, Zoe!", "missing_name", customer=customer)
    assert not named("Thanks for waiting!", "missing_name")
    brand = {"signature_required": True}
    agent = {"first_name": "Priya", "signature": "^PK"}
    assert named("All sorted now.", "missing_signature", brand=brand, agent=agent)
    assert not named("All sorted now. ^PK", "missing_signature", brand=brand, agent=agent)
    assert not named("All sorted now. Priya", "missing_signature", brand=brand, agent=agent)
    assert not named("All sorted now.", "missing_signature", agent=agent)


# --- blanket_statement ----------------------------------------------------------------------

def test_blanket_statement_needs_many_different_customers():
    canned = "We are aware of the issue affecting some customers and our engineers are working on a fix."
    recent = [{"text": f"@user{i} " + canned + " ^AB", "customer": f"c{i}"} for i in range(3)]
    assert named("Hi Tom, " + canned, "blanket_statement", context={"recent_replies": recent})
    same_customer = [{"text": canned, "customer": "c1"}] * 3
    assert not named(canned, "blanket_statement", context={"recent_replies": same_customer})
    other = [{"text": "Thanks for the photo, the replacement is on its way to you.", "customer": f"c{i}"} for i in range(5)]
    assert not named(canned, "blanket_statement", context={"recent_replies": other})


# --- vague_promise --------------------------------------------------------------------------

@pytest.mark.parametrize("draft, flagged", [
    ("We'll look into it.", True),
    ("We're looking into this and will get back to you soon.", True),
    ("Someone from our team will contact you.", True),
    ("We'll look into it and update you by 5 pm today.", False),
    ("I'll call you tomorrow morning.", False),
    ("You'll hear from us within 24 hours.", False),
    ("DM us your order number and we'll look into it.", False),
    ("If you send us a DM, we'll check.", False),
    ("Thanks, glad it's sorted!", False),
])
def test_vague_promise(draft, flagged):
    assert bool(named(draft, "vague_promise")) is flagged


@pytest.mark.parametrize("draft, flagged", [
    ("Ill check with the kitchen and let you know", True),  # typed without the apostrophe
    ("Our maintenance crew are on the case.", True),
    ("We're working very hard to fix this, rest assured.", True),
    ("Our team will respond as soon as possible.", True),  # "as soon as possible" is not a time
    ("We'll get back to you in the next hour.", False),  # a time word the due parser does not resolve
    ("We'll update you on Friday.", False),
    ("We'll check. Could you DM us the email on the account?", False),  # waits on the customer's answer
    ("Love it! We'll pass your kind words on to the team.", False),  # nothing for the customer to wait for
    ("Thanks for the feedback, we'll let the right folks know.", False),
    ("No news yet, but we'll announce any changes on our blog.", False),
    ("We'll keep an eye out for your reply.", False),
])
def test_vague_promise_is_the_workflow_promise_with_no_time(draft, flagged):
    assert bool(named(draft, "vague_promise")) is flagged


def test_vague_promise_spans_are_the_promise_detectors():
    from parley.sla.promises import detect

    draft = "Thanks Jo. Our engineers are looking at it and will update you."
    assert spans(draft, "vague_promise") == [p.text for p in detect(draft)]


# --- trolls and pile-ons --------------------------------------------------------------------

def test_troll_engagement():
    troll = {"troll": True}
    assert spans("Actually, that's not true and you know it.", "troll_engagement", context=troll)
    assert not named("We're here in DM if you need us.", "troll_engagement", context=troll)
    assert named("We hear you. " * 30, "troll_engagement", context=troll)
    assert not named("Actually, that's not true.", "troll_engagement")
    assert named("Thanks!", "troll_engagement", context={"intent": "spam"})


def test_pile_on_warns_in_public_only():
    assert named("We're aware and on it.", "pile_on", context={"pile_on": True})
    assert not named("We're aware and on it.", "pile_on", context={"pile_on": True}, visibility="private")


# --- public_data_request --------------------------------------------------------------------

@pytest.mark.parametrize("draft, flagged", [
    ("Please reply with your email address.", True),
    ("What's your order number?", True),
    ("Can you tweet us your phone number?", True),
    ("Which email address is on the account?", True),
    ("Please DM us your order number.", False),
    ("Send us a private message with your account email.", False),
    ("Please don't share your order number here.", False),
    ("Fill in the form here: https://example.com/help with your order details.", False),
    ("What's the issue you're seeing?", False),
])
def test_public_data_request(draft, flagged):
    got = named(draft, "public_data_request")
    assert bool(got) is flagged
    assert all(f.level == "block" for f in got)
    assert not named(draft, "public_data_request", visibility="private")


# --- hostile text and speed -----------------------------------------------------------------

HOSTILE = [
    "😀" * 2_500,
    "\u200b" * 10_000,
    "\u202eevil\u202c " * 1_000,
    "<script>alert(1)</script><img src=x onerror=alert(1)>" * 100,
    "a" * 50_000,
    "x\ud800y",  # a lone surrogate
    "مرحبا " * 1_000,
    "\x00\x01\x02" * 100,
    "9" * 10_000,
    "@" * 10_000 + "." * 10_000,
    "We'll " * 5_000,
    "",
]


@pytest.mark.parametrize("draft", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_never_crashes_and_spans_stay_inside(draft):
    record = {"channel": "x", "visibility": "public", "customer": {"first_name": "Al", "phone": "999 999 9999"},
              "context": {"intent": "complaint", "troll": True, "pile_on": True,
                          "recent_replies": [draft[:500]] * 5},
              "brand": {"apology_policy": "always_apologise", "signature_required": True}}
    findings = check(draft, record)  # speed: bench/bench_composer.py measures the p95
    for f in findings:
        assert 0 <= f.start <= f.end <= len(draft)
        assert f.level in ("block", "warn", "info")


def test_bad_context_is_a_clear_error():
    with pytest.raises(ContextError, match="channel"):
        check("hi", {"channel": "myspace"})
    with pytest.raises(ContextError, match="visibility"):
        check("hi", {"visibility": "secret"})
    with pytest.raises(ContextError, match="apology_policy"):
        check("hi", {"brand": {"apology_policy": "never"}})
    with pytest.raises(ContextError, match="customer"):
        check("hi", {"customer": "bob"})
    assert Context.from_dict({}).public


def test_x_length_agrees_with_twitter_text_parser_when_installed():
    """Cross-check our count against the twitter-text-parser library (not a dependency; skipped
    without it) on every labelled draft and some hard cases."""
    import json
    from pathlib import Path

    twitter_text = pytest.importorskip("twitter_text")
    here = Path(__file__).parent / "labelled"
    texts = [json.loads(line)["text"] for name in ("drafts.jsonl", "heldout.jsonl")
             for line in open(here / name, encoding="utf-8")]
    texts += ["👨‍👩‍👧 🇬🇧 1️⃣ © ™ ↔️ 👍🏽", "日本語のテキスト、絵文字😀とURL https://例え.jp/パス", "e\u0301" * 20,
              "write to billing.help@example.net or see example.com/help.", "www.example.co.uk/a?b=c#d, then more"]
    differ = [t for t in texts if len(t) < 5000 and twitter_text.parse_tweet(t).weightedLength != x_length(t)]
    assert differ == []
