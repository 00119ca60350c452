"""A triage result as lines of text for people (the CLI; pure)."""

from __future__ import annotations


def _top(scores: dict | None, n: int = 3) -> str:
    if not scores:
        return ""
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])[:n]
    return "(" + ", ".join(f"{k} {v:.0%}" for k, v in ranked) + ")"


def readable(r: dict) -> str:
    rows: list[tuple[str, str]] = []
    if r.get("status") != "triaged":
        rows.append(("not triaged:", r.get("reason") or "unknown reason"))
    else:
        unclear = "  (unclear: ask)" if r["outcome_unclear"] else ""
        rows += [
            ("intent", f"{r['intent']}   {_top(r['intent_scores'])}"),
            ("complaint", f"{r['complaint']:.0%}   severity {r['severity']} of 4"),
            ("sentiment", f"{r['sentiment']}   {_top(r['sentiment_scores'])}"),
            ("emotion", f"{r['emotion']}   {_top(r['emotion_scores'])}"),
            ("anger", f"{r['anger']:.0%}"),
            ("offensive / hate", f"{r['offensive']:.0%} / {r['hate']:.0%}   troll {r['troll']:.0%}"),
            ("desired outcome", f"{r['desired_outcome']}{unclear}   {_top(r['desired_outcome_scores'])}"),
            ("needs response", f"{r['needs_response']:.0%}"),
        ]
    rows.append(("language", r.get("language") or "none (no letters)"))
    rows.append(("topics", ", ".join(r.get("topics") or []) or "-"))
    private = r.get("private_data_posted") or []
    rows.append(("private data", ", ".join(private) + "  (ask the customer to remove it)" if private else "-"))
    for label, phrases in (r.get("explanation") or {}).items():
        if phrases:
            rows.append((f"why {label.replace('_', ' ')}", ", ".join(repr(p) for p in phrases)))
    rows.append(("models", f"{r.get('profile')} {r.get('model_version')}"))
    if r.get("status") != "triaged":
        first = rows.pop(0)
        return f"{first[0]} {first[1]}\n" + "\n".join(f"{k:<20}{v}" for k, v in rows)
    return "\n".join(f"{k:<20}{v}" for k, v in rows)
