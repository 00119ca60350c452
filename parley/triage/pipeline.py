"""The whole triage of a text (pure; no Django): one function from text to result.

`Triager.triage_many(texts)` cleans the texts, detects language and private
data, matches topics, scores every linear head in one batch, derives anger,
troll, needs-response and the chosen labels, and explains the main ones.
Each result is a plain dict whose keys are the issue's field names, plus
`status` ("triaged" or "not_triaged"), `reason`, `model_version` and `profile`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from . import language as lang
from . import private_data
from .labels import EMOTIONS, INTENTS, OUTCOMES, RESPONSE_WEIGHT, SENTIMENTS
from .explain import explain_batch
from .linear import LinearModels, load
from .normalize import clean
from .topics import TopicSet

# Below this top score the desired outcome is "unclear" (the composer asks).
OUTCOME_CLEAR = 0.45
# "neutral" is chosen as the emotion only when it is this likely; otherwise the strongest emotion.
NEUTRAL_MIN = 0.5
_LETTER_OR_SYMBOL = re.compile(r"[^\W\d_]|[\u2600-\u27BF\U0001F000-\U0001FAFF]")
_NONE = OUTCOMES.index("none")
_COMPLAINT = INTENTS.index("complaint")
_LETTER = re.compile(r"[^\W\d_]")
_UPPER = re.compile(r"[A-Z\u00C0-\u00DE]")

FIELDS = (
    "intent", "intent_scores", "complaint", "sentiment", "sentiment_scores", "emotion", "emotion_scores",
    "severity", "anger", "offensive", "hate", "troll", "desired_outcome", "desired_outcome_scores",
    "outcome_unclear", "needs_response", "language", "topics", "private_data_posted", "explanation",
)
MODEL_FIELDS = tuple(f for f in FIELDS if f not in ("language", "topics", "private_data_posted"))


@dataclass(frozen=True)
class Options:
    profile: str = "fast"
    phone_region: str = "US"
    explain: bool = True


def _round(x: float) -> float:
    return round(float(x), 4)


def _scores(labels, probs) -> dict:
    return dict(zip(labels, np.round(probs, 4).tolist()))


def _shouting(plain: str) -> float:
    """0-1: capitals and exclamation marks, as a cue of intensity."""
    letters = len(_LETTER.findall(plain))
    caps = len(_UPPER.findall(plain)) / letters if letters >= 8 else 0.0
    return min(1.0, max(0.0, caps - 0.3) * 1.5 + min(plain.count("!"), 5) * 0.08)


class Triager:
    def __init__(self, options: Options | None = None, models: LinearModels | None = None,
                 topics: TopicSet | None = None):
        self.options = options or Options()
        self.models = models or load(self.options.profile)
        self.topics = topics or TopicSet()

    @property
    def version(self) -> str:
        return self.models.version

    def triage(self, text: str) -> dict:
        return self.triage_many([text])[0]

    def triage_many(self, texts: list[str]) -> list[dict]:
        results: list[dict] = []
        scored: list[int] = []
        docs: list[str] = []
        plains: list[str] = []
        for i, text in enumerate(texts):
            cleaned = clean(text if isinstance(text, str) else "")
            plains.append(cleaned.plain)
            result = self._base(cleaned.plain)
            results.append(result)
            if result["status"] == "triaged":
                scored.append(i)
                docs.append(cleaned.model)
        if docs:
            probs = self.models.predict(docs)
            for k, i in enumerate(scored):
                self._fill(results[i], plains[i], {name: p[k] for name, p in probs.items()})
            if self.options.explain:
                self._explain([results[i] for i in scored], docs)
        return results

    # --- parts ----------------------------------------------------------------------
    def _base(self, plain: str) -> dict:
        result = {f: None for f in FIELDS}
        result.update(model_version=self.version, profile=self.options.profile, status="triaged", reason="")
        found = private_data.find(plain, self.options.phone_region)
        result["private_data_posted"] = private_data.kinds(found)
        result["private_data_spans"] = [f.as_dict() for f in found]
        result["topics"] = self.topics.match(plain) if plain else []
        language = lang.detect(plain)
        result["language"] = language.code
        if not plain:
            result.update(status="not_triaged", reason="the post has no text")
        elif not _LETTER_OR_SYMBOL.search(plain):
            result.update(status="not_triaged", reason="the post has no words or emoji to read")
        elif not language.covered:
            result.update(status="not_triaged", reason=language.reason)
        return result

    def _fill(self, r: dict, plain: str, p: dict[str, np.ndarray]) -> None:
        complaint = float(p["complaint"][1])
        offensive, hate = float(p["offensive"][1]), float(p["hate"][1])
        intent = p["intent"].copy()
        # The complaint head learnt from real posts; the intent head partly from synthetic ones.
        # Keep them consistent: the intent's complaint score is at least the complaint probability.
        lifted = max(float(intent[_COMPLAINT]), complaint)
        others = float(intent.sum() - intent[_COMPLAINT])
        if others > 0:
            intent = intent * ((1.0 - lifted) / others)
        intent[_COMPLAINT] = lifted
        r["intent_scores"] = _scores(INTENTS, intent)
        r["intent"] = INTENTS[int(np.argmax(intent))]
        r["complaint"] = _round(complaint)
        r["sentiment_scores"] = _scores(SENTIMENTS, p["sentiment"])
        r["sentiment"] = SENTIMENTS[int(np.argmax(p["sentiment"]))]
        trained = dict(zip(self.models.heads["emotion"].labels, p["emotion"].tolist()))
        r["emotion_scores"] = {e: _round(trained.get(e, 0.0)) for e in EMOTIONS}
        feeling = {e: v for e, v in trained.items() if e != "neutral"}
        top = max(feeling, key=feeling.get)
        r["emotion"] = "neutral" if trained.get("neutral", 0.0) >= NEUTRAL_MIN else top
        sev = p["severity"]
        r["severity"] = 0 if complaint < 0.5 else int(np.argmax(sev[1:]) + 1)
        expected_severity = float(np.dot(sev, np.arange(len(sev)))) / 4.0
        r["anger"] = _round(min(1.0, trained.get("anger", 0.0) * (0.55 + 0.25 * expected_severity * 2
                                                                  + 0.2 * max(offensive, _shouting(plain)))))
        r["offensive"], r["hate"] = _round(offensive), _round(hate)
        abusive = max(offensive, hate * 0.8, float(intent[INTENTS.index("abuse")]))
        actionable = max(complaint, float(intent[INTENTS.index("question")] + intent[INTENTS.index("request")]))
        r["troll"] = _round(abusive * (1.0 - actionable))
        outcome = p["outcome"]
        r["desired_outcome_scores"] = _scores(OUTCOMES, outcome)
        if complaint >= 0.5 or r["intent"] in ("complaint", "question", "request"):
            # Someone with a problem or a question wants something: "none" is not an answer.
            wanted = outcome.copy()
            wanted[_NONE] = 0.0
        else:
            wanted = outcome
        best = int(np.argmax(wanted))
        r["desired_outcome"] = OUTCOMES[best]
        r["outcome_unclear"] = bool(float(outcome[best]) < OUTCOME_CLEAR)
        weighted = sum(float(intent[i]) * RESPONSE_WEIGHT[name] for i, name in enumerate(INTENTS))
        r["needs_response"] = _round(min(1.0, max(weighted, complaint * 0.95)) * (1.0 - 0.8 * r["troll"]))

    def _explain(self, results: list[dict], docs: list[str]) -> None:
        targets = {
            "intent": [INTENTS.index(r["intent"]) for r in results],
            "sentiment": [SENTIMENTS.index(r["sentiment"]) for r in results],
            "complaint": [1 if r["complaint"] >= 0.5 else 0 for r in results],
            "outcome": [OUTCOMES.index(r["desired_outcome"]) for r in results],
            "offensive": [1 if r["offensive"] >= 0.5 else 0 for r in results],
        }
        for r, found in zip(results, explain_batch(self.models, docs, targets)):
            explanation = {"intent": found["intent"], "sentiment": found["sentiment"],
                           "complaint": found["complaint"], "desired_outcome": found["outcome"]}
            if r["offensive"] >= 0.5:
                explanation["offensive"] = found["offensive"]
            r["explanation"] = explanation


def not_triaged_fields(reason: str, profile: str, version: str) -> dict:
    """A result for text that never reached the models (used by callers that fail early)."""
    result = {f: None for f in FIELDS}
    result.update(private_data_posted=[], topics=[], private_data_spans=[], model_version=version,
                  profile=profile, status="not_triaged", reason=reason)
    return result
