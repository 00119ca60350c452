"""A triage result as lines of text for people (the CLI; pure)."""

from __future__ import annotations


def _top(scores: dict | None, n: int = 3) -> str:
    if not scores:
        return ""
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])[:n]
    return ", ".join(f"{k} {v:.0%}" for k, v in ranked)


def readable(r: dict) -> str:
    lines = []
    if r.get("status") != "triaged":
        lines.append(f"not triaged: {r.get('reason') or 'unknown reason'}")
    else:
        lines += [
            f"intent            {r['intent']}   ({_top(r['intent_scores'])})",
            f"complaint         {r['complaint']:.0%}   severity {r['severity']} of 4",
            f"sentiment         {r['sentiment']}   ({_top(r['sentiment_scores'])})",
            f"emotion           {r['emotion']}   ({_top(r['emotion_scores'])})",
            f"anger             {r['anger']:.0%}",
            f"offensive / hate  {r['offensive']:.0%} / {r['hate']:.0%}   troll {r['troll']:.0%}",
            f"desired outcome   {r['desired_outcome']}{'  (unclear: ask)' if r['outcome_unclear'] else ''}"
            f"   ({_top(r['desired_outcome_scores'])})",
            f"needs response    {r['needs_response']:.0%}",
        ]
    lines.append(f"language          {r.get('language') or 'none (no letters)'}")
    lines.append(f"topics            {', '.join(r.get('topics') or []) or '-'}")
    private = r.get("private_data_posted") or []
    lines.append(f"private data      {', '.join(private) + '  (ask the customer to remove it)' if private else '-'}")
    for label, phrases in (r.get("explanation") or {}).items():
        if phrases:
            lines.append(f"why {label:<14}{', '.join(repr(p) for p in phrases)}")
    lines.append(f"models            {r.get('profile')} {r.get('model_version')}")
    return "\n".join(lines)
