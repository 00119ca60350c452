"""The whole triage of a text with the shipped models: fields, bad input, explanations."""


import pytest

from parley.triage.labels import EMOTIONS, INTENTS, OUTCOMES, SENTIMENTS
from parley.triage.linear import MODELS_DIR, LinearModels
from parley.triage.pipeline import FIELDS, Options, Triager

ISSUE_FIELDS = {
    "intent", "complaint", "sentiment", "sentiment_scores", "emotion", "emotion_scores", "severity", "anger",
    "offensive", "hate", "troll", "desired_outcome", "outcome_unclear", "needs_response", "language", "topics",
    "private_data_posted", "explanation",
}


@pytest.fixture(scope="module", params=["fast", "accurate"])
def triager(request):
    return Triager(Options(profile=request.param))


def test_every_issue_field_is_present(triager):
    result = triager.triage("@acme my order never arrived and I want a refund now!!")
    assert ISSUE_FIELDS <= set(result) and set(FIELDS) <= set(result)
    assert result["status"] == "triaged" and result["reason"] == ""
    assert result["intent"] in INTENTS and set(result["intent_scores"]) == set(INTENTS)
    assert result["sentiment"] in SENTIMENTS and abs(sum(result["sentiment_scores"].values()) - 1) < 0.01
    assert result["emotion"] in EMOTIONS and list(result["emotion_scores"]) == list(EMOTIONS)
    assert abs(sum(result["emotion_scores"].values()) - 1) < 0.01
    assert result["desired_outcome"] in OUTCOMES and set(result["desired_outcome_scores"]) == set(OUTCOMES)
    assert 0 <= result["complaint"] <= 1 and 0 <= result["anger"] <= 1 and 0 <= result["needs_response"] <= 1
    assert result["severity"] in (0, 1, 2, 3, 4) and isinstance(result["outcome_unclear"], bool)
    assert result["language"] == "en" and result["model_version"]


def test_a_clear_complaint(triager):
    r = triager.triage("@acme worst service ever. my package never arrived, I want my money back!!")
    assert r["intent"] == "complaint" and r["complaint"] > 0.5
    assert r["sentiment"] == "negative" and r["severity"] >= 1
    assert r["desired_outcome"] in ("refund", "delivery")
    assert r["needs_response"] > 0.5 and r["troll"] < 0.3
    assert "delivery" in r["topics"]


def test_praise_is_positive_and_not_a_complaint(triager):
    r = triager.triage("@acme thank you so much for the quick help today, you guys are amazing!")
    assert r["sentiment"] == "positive" and r["complaint"] < 0.5 and r["severity"] == 0
    assert r["intent"] == "praise" and r["emotion"] in ("joy", "optimism")


def test_abuse_without_a_problem_is_a_troll(triager):
    r = triager.triage("@acme you are all fucking idiots, go to hell")
    assert r["offensive"] > 0.5 and r["troll"] > 0.3
    assert r["intent"] == "abuse"


def test_spam(triager):
    r = triager.triage("Earn $500 a day from home!!! click here https://t.co/abc123 #money")
    assert r["intent"] == "spam" and r["needs_response"] < 0.3


def test_explanation_names_words_of_the_post(triager):
    text = "my refund never came, terrible service"
    r = triager.triage(text)
    phrases = [p for ps in r["explanation"].values() for p in ps]
    assert phrases and all(p.lower() in text.lower() for p in phrases)
    assert set(r["explanation"]) >= {"intent", "sentiment", "complaint", "desired_outcome"}


def test_private_data_is_reported(triager):
    r = triager.triage("@acme why no reply? my email is jo@example.com and order number 123456789")
    assert r["private_data_posted"] == ["email", "order_number"]
    assert [s["kind"] for s in r["private_data_spans"]] == ["email", "order_number"]


@pytest.mark.parametrize(
    "text, status, reason",
    [
        ("", "not_triaged", "no text"),
        ("   \u200b\u200d  ", "not_triaged", "no text"),
        ("12345 ... !!!", "not_triaged", "no words"),
        ("Mi pedido no ha llegado todavía y nadie me responde", "not_triaged", "'es' is not covered"),
        ("Где мой заказ? Уже неделя прошла", "not_triaged", "'ru' is not covered"),
    ],
)
def test_bad_input_is_not_triaged_with_a_reason(triager, text, status, reason):
    r = triager.triage(text)
    assert r["status"] == status and reason in r["reason"]
    assert r["intent"] is None and r["sentiment"] is None
    assert isinstance(r["topics"], list) and isinstance(r["private_data_posted"], list)


@pytest.mark.parametrize(
    "text",
    [
        "😡😡😡",
        "x" * 10_000,
        "my order " * 1200,
        "<div><b>where</b> is my <a href='http://x.test'>order</a>?</div>",
        "where\u200b is\u200d my\u2060 order\ufeff?",
        "my order 注文 never arrived and my Заказ neither",
        "\u202eredro ym erehw",
        "\x00\x01 where is my order",
    ],
)
def test_awkward_input_is_triaged_without_crashing(triager, text):
    r = triager.triage(text)
    assert r["status"] == "triaged" and r["intent"] in INTENTS


def test_batch_matches_single(triager):
    texts = ["where is my order?", "", "love it", "Hola, gracias por nada", "refund me now"]
    batch = triager.triage_many(texts)
    for text, r in zip(texts, batch):
        single = triager.triage(text)
        assert single["status"] == r["status"] and single["intent"] == r["intent"]
        if r["complaint"] is not None:
            assert abs(single["complaint"] - r["complaint"]) < 1e-3


def test_non_string_input_is_treated_as_empty(triager):
    assert triager.triage_many([None])[0]["status"] == "not_triaged"


@pytest.mark.parametrize("profile", ["fast", "accurate"])
def test_model_files_are_small_and_safe_to_load(profile):
    folder = MODELS_DIR / profile
    files = list(folder.iterdir())
    assert {"manifest.json", "vocabulary.npz"} <= {f.name for f in files}
    assert all(f.stat().st_size <= 25 * 1024 * 1024 for f in files)
    models = LinearModels(folder)  # np.load(allow_pickle=False): plain arrays only; load time: bench/bench_triage.py
    assert set(models.heads) == {"complaint", "severity", "sentiment", "emotion", "offensive", "hate", "intent",
                                 "outcome"}


def test_derived_fields_agree_with_the_heads(triager):
    texts = ["where is my parcel?? it's been 2 weeks", "my blender broke, I want a new one",
             "you charged me twice, fix it now", "lol same", "thanks!"]
    for r in triager.triage_many(texts):
        assert r["intent_scores"]["complaint"] >= r["complaint"] - 1e-3
        assert abs(sum(r["intent_scores"].values()) - 1) < 0.01
        if r["complaint"] >= 0.5 or r["intent"] in ("complaint", "question", "request"):
            assert r["desired_outcome"] != "none"
        chosen = r["desired_outcome_scores"][r["desired_outcome"]]
        assert r["outcome_unclear"] == (chosen < 0.45)
        assert (r["severity"] == 0) == (r["complaint"] < 0.5)


# Posts written for these tests only (not in the training data, training/data/*.jsonl).
SAFETY_COMPLAINTS = [
    "Found a crack in the glass carafe straight out of the box. This is the second one. @LumenCoffee are these safe?",
    "@acme the kettle lid snapped off and boiling water went everywhere, is this model safe?",
    "@shopco my son's scooter handlebar cracked on the first ride. these are meant to be safe for kids",
    "@acme the charger melted into the socket overnight",
]


@pytest.mark.parametrize("text", SAFETY_COMPLAINTS)
def test_a_safety_complaint_in_plain_words_is_a_complaint_not_abuse(triager, text):
    r = triager.triage(text)
    assert r["intent"] == "complaint", r["intent_scores"]
    assert r["troll"] < 0.35
    assert r["intent_scores"]["abuse"] < 0.2 and r["offensive"] < 0.5


@pytest.mark.parametrize("text, emotion", [
    ("@bankly I just saw three payments I didn't make and I'm really scared my account is compromised", "fear"),
    ("@acme there was a cockroach in the bag of rice, absolutely disgusting", "disgust"),
    ("@shopco wow, didn't expect my order to turn up the same afternoon!", "surprise"),
])
def test_fear_disgust_and_surprise_are_scored(triager, text, emotion):
    if emotion not in triager.models.heads["emotion"].labels:
        pytest.skip(f"the shipped {triager.options.profile} emotion head has no {emotion} yet (model card)")
    r = triager.triage(text)
    assert r["emotion"] == emotion, r["emotion_scores"]
