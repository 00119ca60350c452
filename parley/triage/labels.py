"""The label sets triage produces (the issue's names, in a fixed order)."""

INTENTS = ("complaint", "question", "request", "praise", "feedback", "abuse", "spam", "chatter")
SENTIMENTS = ("negative", "neutral", "positive")
EMOTIONS = ("anger", "sadness", "fear", "disgust", "joy", "optimism", "surprise", "neutral")
# The emotions the trained model scores (fear, disgust and surprise from examples we wrote:
# parley/triage/training/data/; see docs/model-card.md).
TRAINED_EMOTIONS = ("anger", "joy", "optimism", "sadness", "fear", "disgust", "surprise", "neutral")
OUTCOMES = (
    "refund", "replacement", "repair", "return", "cancellation", "delivery",
    "account_access", "information", "apology", "to_be_heard", "none",
)
SEVERITIES = (0, 1, 2, 3, 4)
PRIVATE_KINDS = ("email", "phone", "order_number", "account_number", "address", "card")

# Intents a care agent acts on, and how much each one calls for an answer.
RESPONSE_WEIGHT = {
    "complaint": 1.0, "question": 0.95, "request": 0.95, "feedback": 0.55,
    "praise": 0.35, "chatter": 0.05, "abuse": 0.1, "spam": 0.0,
}
