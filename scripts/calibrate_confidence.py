"""Measure how often each kind of attribution is right, and write the calibration table.

For every gold file given (format: samples/README.md), the articles are annotated as
`attribution annotate` does, each prediction is marked right when it matches a gold
attribution and names its source, and predictions are grouped by
`attribution.extract.confidence.calibration_keys`; the counts of each key are written,
and `attribution.extract.confidence.measured` turns them into a confidence at run time.

The gold files are real news with gold annotations, kept outside the project (real text is
never copied into it); the table keeps only the counts per key, so it can be checked.

    python scripts/calibrate_confidence.py GOLD.jsonl [GOLD.jsonl ...] [--lang fr]
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path

import yaml

from attribution.evaluate import load_gold, score
from attribution.extract.confidence import calibration_keys, measured
from attribution.pipeline import AnnotatedArticle, Annotator
from attribution.registry import load_registry

LEXICON = Path(__file__).resolve().parent.parent / "attribution" / "lexicon"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gold", nargs="+", type=Path)
    ap.add_argument("--lang", default="fr")
    args = ap.parse_args()
    annotator = Annotator(load_registry())
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for path in args.gold:
        articles = [g for g in load_gold(path) if (g.article.lang or "fr") == args.lang]
        predictions = {}
        for item, g in zip(annotator.annotate(g.article for g in articles), articles, strict=True):
            if isinstance(item, AnnotatedArticle):
                predictions[g.article.id] = item.attributions
        for attribution, right in score(articles, predictions).outcomes:
            for key in calibration_keys(attribution):
                counts[key][0] += 1
                counts[key][1] += right
    total = counts["all"][0]
    table = {key: {"seen": n, "right": r} for key, (n, r) in sorted(counts.items())}
    for key in table:
        rule = key.split("|")[0]
        keys = ["all"] if key == "all" else ["all", rule] if key == rule else ["all", rule, key]
        table[key]["confidence"] = measured(keys, {k: tuple(v) for k, v in counts.items()})
    out = LEXICON / f"{args.lang}_confidence.yaml"
    header = (
        f"# Confidence by kind of attribution, measured on {total} predictions over "
        f"{len(args.gold)} gold file(s) of real news\n"
        "# (scripts/calibrate_confidence.py; do not edit by hand).\n"
    )
    out.write_text(header + yaml.safe_dump(table, allow_unicode=True, sort_keys=True), "utf-8")
    print(f"{len(table)} keys from {total} predictions written to {out}")


if __name__ == "__main__":
    main()
