"""Markdown tables of the dev metrics in the shipped manifests (for docs/model-card.md).

    .venv/bin/python -m parley.triage.training.report
"""

from __future__ import annotations

import json

from ..linear import MODELS_DIR

HEADLINE = {"sentiment": "macro_recall"}


def _load(profile: str) -> dict:
    return json.loads((MODELS_DIR / profile / "manifest.json").read_text())


def summary() -> str:
    fast, accurate = _load("fast"), _load("accurate")
    lines = ["| head | measured by | rows | metric | fast | accurate, n-grams alone | accurate | encoder weight | "
             "accuracy (acc.) | calibration error (acc.) |",
             "|---|---|---:|---|---:|---:|---:|---:|---:|---:|"]
    for head, m in accurate["metrics"].items():
        key = HEADLINE.get(head, "macro_f1")
        f = fast["metrics"][head]
        alone = m.get("ngram_only", m)
        weight = m.get("embedding_weight")
        lines.append(f"| {head} | {m['evaluated_by']} | {m['rows']:,} | {key.replace('_', '-')} | {f[key]:.3f} | "
                     f"{alone[key]:.3f} | **{m[key]:.3f}** | {'' if weight is None else f'{weight:.1f}'} | "
                     f"{m['accuracy']:.3f} | {m.get('calibration_error', float('nan')):.3f} |")
        if "macro_f1_four_labels" in m:
            lines.append(f"| emotion (TweetEval's 4 labels) | validation split | {m['rows']:,} | macro-f1 | "
                         f"{f['macro_f1_four_labels']:.3f} | {alone['macro_f1_four_labels']:.3f} | "
                         f"**{m['macro_f1_four_labels']:.3f}** | | | |")
    return "\n".join(lines)


def per_label(profile: str = "accurate") -> str:
    manifest = _load(profile)
    out = []
    for head, m in manifest["metrics"].items():
        out.append(f"**{head}** ({m['evaluated_by']}, {profile})\n")
        out.append("| label | precision | recall | F1 | support |")
        out.append("|---|---:|---:|---:|---:|")
        for label, v in m["per_label"].items():
            out.append(f"| {label} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1-score']:.3f} | "
                       f"{int(v['support']):,} |")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(summary())
    print()
    print(per_label())
