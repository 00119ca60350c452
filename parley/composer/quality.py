"""Measuring the guardrails on labelled drafts: precision and recall per check.

A check "fires" on a draft when it returns a finding at level warn or block (info findings are
advice and are not counted). Labels say which checks must fire (`expect`); for private data,
`private` lists each value and whether it was the customer's own (`known`) or recognisable by
its pattern (`pattern`); a value is found when a private_data finding covers it.

    python -m parley.composer.quality tests/composer/labelled/drafts.jsonl
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field

from .guardrails import CHECKS, check

COUNTED = ("warn", "block")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    misses: list = field(default_factory=list)
    false_alarms: list = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


@dataclass
class Report:
    drafts: int = 0
    per_check: dict[str, Score] = field(default_factory=lambda: {name: Score() for name in CHECKS})
    private_items: dict[str, list[int]] = field(default_factory=lambda: {"known": [0, 0], "pattern": [0, 0]})
    private_missed: list = field(default_factory=list)


def fired(record: dict) -> tuple[set[str], list]:
    findings = check(record["text"], record)
    return {f.check for f in findings if f.level in COUNTED}, findings


def evaluate(records: list[dict]) -> Report:
    report = Report()
    for record in records:
        report.drafts += 1
        got, findings = fired(record)
        expected = set(record.get("expect", ()))
        for name, score in report.per_check.items():
            if name in expected and name in got:
                score.tp += 1
            elif name in expected:
                score.fn += 1
                score.misses.append(record.get("id"))
            elif name in got:
                score.fp += 1
                score.false_alarms.append(record.get("id"))
            else:
                score.tn += 1
        text = record["text"]
        private_spans = [(f.start, f.end) for f in findings if f.check == "private_data"]
        for item in record.get("private", ()):
            start = text.find(item["text"])
            end = start + len(item["text"])
            covered = start >= 0 and any(s <= start and end <= e for s, e in private_spans)
            counts = report.private_items[item["source"] if item["source"] == "known" else "pattern"]
            counts[1] += 1
            if covered:
                counts[0] += 1
            else:
                report.private_missed.append((record.get("id"), item["text"]))
    return report


def table(report: Report) -> str:
    def pct(value):
        return "–" if value is None else f"{value:.2f}"

    lines = ["| check | positives | precision | recall | false alarms on negatives |", "|---|---|---|---|---|"]
    for name, s in report.per_check.items():
        negatives = s.fp + s.tn
        lines.append(
            f"| `{name}` | {s.tp + s.fn} | {pct(s.precision)} | {pct(s.recall)} | "
            f"{s.fp}/{negatives} ({(s.fp / negatives if negatives else 0):.1%}) |"
        )
    known, pattern = report.private_items["known"], report.private_items["pattern"]
    lines.append("")
    lines.append(f"Private values found in public drafts: customer's own {known[0]}/{known[1]} "
                 f"(recall {known[0] / max(known[1], 1):.2f}); by pattern {pattern[0]}/{pattern[1]} "
                 f"(recall {pattern[0] / max(pattern[1], 1):.2f}).")
    return "\n".join(lines)


def load(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main(argv: list[str]) -> None:
    report = evaluate(load(argv[0]))
    print(f"{report.drafts} drafts")
    print(table(report))
    for name, s in report.per_check.items():
        if s.misses or s.false_alarms:
            print(f"{name}: missed {s.misses[:20]} false alarms {s.false_alarms[:20]}")
    if report.private_missed:
        print("private values missed:", report.private_missed)


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parley.settings")
    main(sys.argv[1:])


# --- real replies: brands' answers in ../shared/data ------------------------------------------

# Each brand's own published domain, as its admin would list it in `public_contacts`.
BRAND_DOMAINS = {
    "AmazonHelp": "amazon.com", "AppleSupport": "apple.com", "SpotifyCares": "spotify.com",
    "AdobeCare": "adobe.com", "AskPlayStation": "playstation.com", "Ask_Spectrum": "spectrum.net",
    "Ask_WellsFargo": "wellsfargo.com", "AskeBay": "ebay.com", "ChaseSupport": "chase.com", "Delta": "delta.com",
    "DropboxSupport": "dropbox.com", "GoDaddyHelp": "godaddy.com", "Google": "google.com",
    "MicrosoftHelps": "microsoft.com", "MojangSupport": "mojang.com", "RockstarSupport": "rockstargames.com",
    "SouthwestAir": "southwest.com", "TMobileHelp": "t-mobile.com", "TeamYouTube": "youtube.com",
    "Uber_Support": "uber.com", "XboxSupport": "xbox.com", "YahooCare": "yahoo.com", "hulu_support": "hulu.com",
    "zoom_us": "zoom.us",
}


def real_replies(data_dir) -> list[dict]:
    """The brands' replies in twcs-labelled (outbound) and the agent turns of the IBM dev split,
    as `parley check` records (public replies on X). Text is HTML-unescaped (the sets store
    "&amp;"); only the dev split of the IBM set is read, never its test split."""
    import csv
    import html
    from pathlib import Path

    data_dir = Path(data_dir)
    out = []

    def record(source, ident, company, text):
        domain = BRAND_DOMAINS.get(company)
        out.append({"source": source, "id": str(ident), "company": company, "text": html.unescape(text),
                    "channel": "x", "visibility": "public",
                    "brand": {"public_contacts": [f"@{domain}"] if domain else []}})

    for path in sorted((data_dir / "twcs-labelled").glob("*-outbound.csv")):
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                record("twcs", row["tweet_id"], row["company"], row["text"])
    with open(data_dir / "ibm-twitter-customer-care" / "dev.json", encoding="utf-8") as f:
        conversations = json.load(f)
    for conv in conversations:
        company = conv["dialogHeader"]["company"]
        seen = set()
        for turn in conv["dialogContent"]:
            if "agent" in turn and turn["tweet_ID"] not in seen:
                seen.add(turn["tweet_ID"])
                record("ibm", turn["tweet_ID"], company, turn["message"])
        url = conv.get("agentURL") or {}
        if url.get("url_utterance") and url.get("tweet_ID") not in seen:
            record("ibm", url["tweet_ID"], company, url["url_utterance"])
    return out


def real_findings(records: list[dict]) -> list[dict]:
    """Every warn or block finding on the real replies, keyed for labelling."""
    rows = []
    for rec in records:
        for f in check(rec["text"], rec):
            if f.level in COUNTED:
                rows.append({"source": rec["source"], "id": rec["id"], "check": f.check,
                             "fragment": rec["text"][f.start:f.end][:80]})
    return rows


def sample_replies(data_dir) -> list[dict]:
    """The brands' replies in twcs-sample (held out: read only after the rules were settled)."""
    import csv
    import html
    from pathlib import Path

    out = []
    with open(Path(data_dir) / "twcs-sample" / "sample.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["inbound"] == "False":
                out.append({"source": "twcs-sample", "id": row["tweet_id"], "company": row["author_id"],
                            "text": html.unescape(row["text"]), "channel": "x", "visibility": "public",
                            "brand": {}})
    return out


# --- suggestion retrieval, measured on the IBM conversations ----------------------------------


def retrieval_quality(data_dir, k: int = 3) -> dict:
    """How often the suggestions from history point to the right support document.

    The IBM dev conversations each end with an agent's reply linking a document (`doc_id`).
    For every conversation, the customer's turns are the query and the other conversations of
    the same brand are the history (Parley's index is per brand); the suggestions are ranked as
    in the composer (20 nearest past posts, near-identical replies grouped, groups scored by the
    sum of their similarities). A hit at k: one of the first k suggestions was a reply that
    linked the same document. Compared with the nearest neighbour alone and with always
    suggesting the brand's most frequent document (leave-one-out). Dev split only.
    """
    from collections import Counter, defaultdict
    from pathlib import Path

    from .suggestions.ranking import Situation, from_history
    from .suggestions.retrieval import Pair, ReplyIndex

    with open(Path(data_dir) / "ibm-twitter-customer-care" / "dev.json", encoding="utf-8") as f:
        conversations = json.load(f)
    by_brand: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for conv in conversations:
        url = conv.get("agentURL") or {}
        turns = [t["message"] for t in conv["dialogContent"] if "client" in t]
        if url.get("doc_id") and turns:
            by_brand[conv["dialogHeader"]["company"]].append((" ".join(turns), url.get("url_utterance", ""), url["doc_id"]))
    from .suggestions import ranking

    floors = sorted({0.0, 0.05, ranking.SIMILARITY_FLOOR, 0.2})
    counts = {floor: [0, 0, 0] for floor in floors}  # shown, hit at 1, hit at k
    nearest = base = total = 0
    for items in by_brand.values():
        if len(items) < 2:
            continue
        for i, (query, _, doc) in enumerate(items):
            others = [item for j, item in enumerate(items) if j != i]
            index = ReplyIndex([Pair(q, r, n) for n, (q, r, _) in enumerate(others)])
            neighbours = index.query(query, k=20)
            for floor in floors:
                ranked = [others[sug.source_id][2] for sug in from_history(neighbours, Situation(), limit=k, floor=floor)]
                counts[floor][0] += bool(ranked)
                counts[floor][1] += bool(ranked) and ranked[0] == doc
                counts[floor][2] += doc in ranked
            majority = Counter(d for _, _, d in others).most_common(1)[0][0]
            total += 1
            nearest += bool(neighbours) and others[neighbours[0].pair.conversation_id][2] == doc
            base += majority == doc
    return {
        "conversations": total,
        "brands": len([b for b in by_brand.values() if len(b) >= 2]),
        "nearest_neighbour_at_1": round(nearest / total, 3),
        "baseline_majority": round(base / total, 3),
        "by_floor": {
            floor: {"shown": round(shown / total, 3), "hit_at_1": round(h1 / total, 3),
                    f"hit_at_{k}": round(hk / total, 3), "right_when_shown": round(h1 / shown, 3) if shown else None}
            for floor, (shown, h1, hk) in counts.items()
        },
        "floor_in_use": ranking.SIMILARITY_FLOOR,
    }
