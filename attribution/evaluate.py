"""Score the extractor against a gold file (format: `samples/README.md`).

A predicted attribution matches a gold one when their claim spans overlap (one-to-one,
largest overlap first). Precision, recall and F1 count matches; source, kind, outlet,
via and resolution accuracies are measured over the matched pairs.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from attribution.errors import InputError
from attribution.ingest import complete, read_file
from attribution.model import Article, Attribution, Span


class GoldAttribution(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["attribution"]
    article: str
    cue: str
    source: str | None
    source_kind: str
    source_resolved: str | None = None
    source_description: str | None = None
    outlet: str | None = None
    via: str | None = None
    claim: str
    occurrence: int = 1
    direct_quote: bool = False
    constructions: list[str] = []


class GoldNegative(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["negative"]
    article: str
    text: str
    cue: str
    constructions: list[str] = []


@dataclass
class Located:
    gold: GoldAttribution
    claim: Span
    source: Span | None
    resolved: Span | None


@dataclass
class GoldArticle:
    path: Path
    article: Article
    attributions: list[Located] = field(default_factory=list)
    negatives: list[Span] = field(default_factory=list)


def load_gold(path: Path) -> list[GoldArticle]:
    """The gold file with every span found in its article; errors name file and line."""
    articles: dict[str, GoldArticle] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise InputError(path, f"cannot read gold file: {err.strerror or err}") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            record: GoldAttribution | GoldNegative = (
                GoldNegative.model_validate(raw)
                if raw.get("type") == "negative"
                else GoldAttribution.model_validate(raw)
            )
        except (json.JSONDecodeError, ValidationError, AttributeError) as err:
            raise InputError(path, f"invalid gold record: {str(err).splitlines()[0]}", n) from None
        gold_article = articles.get(record.article)
        if gold_article is None:
            gold_article = _load_article(path, record.article, n)
            articles[record.article] = gold_article
        text = gold_article.article.text
        if isinstance(record, GoldNegative):
            start = text.find(record.text)
            if start < 0:
                raise InputError(path, "negative text not found in the article", n)
            gold_article.negatives.append(Span(start, start + len(record.text), record.text))
            continue
        claim = _nth(text, record.claim, record.occurrence)
        if claim is None:
            raise InputError(path, f"claim not found in {record.article}: {record.claim[:50]!r}", n)
        cue = _nearest(text, record.cue, claim)  # "…, précise l'Osdh. B, selon l'Osdh."
        source = _nearest(text, record.source, cue or claim) if record.source else None
        resolved = (
            _nearest(text, record.source_resolved, source or claim, before=True)
            if record.source_resolved
            else None
        )
        gold_article.attributions.append(Located(record, claim, source, resolved))
    return list(articles.values())


def _load_article(gold_path: Path, name: str, line: int) -> GoldArticle:
    path = gold_path.parent / name
    try:
        items = list(read_file(path))
    except InputError as err:
        raise InputError(gold_path, f"article {name}: {err}", line) from None
    article = items[0]
    if not isinstance(article, Article):
        raise InputError(gold_path, f"article {name}: {article}", line)
    return GoldArticle(path, complete(article))


def _nth(text: str, needle: str, n: int) -> Span | None:
    start = -1
    for _ in range(max(n, 1)):
        start = text.find(needle, start + 1)
        if start < 0:
            return None
    return Span(start, start + len(needle), needle)


def _nearest(text: str, needle: str, anchor: Span, before: bool = False) -> Span | None:
    """The occurrence of `needle` nearest to `anchor`, as whole words: the pronoun "il" is
    not the one inside "ville"."""
    best: Span | None = None
    best_distance = None
    start = text.find(needle)
    while start >= 0:
        end = start + len(needle)
        inside_a_word = (needle[0].isalnum() and start > 0 and text[start - 1].isalnum()) or (
            needle[-1].isalnum() and end < len(text) and text[end].isalnum()
        )
        if not inside_a_word and (not before or start <= anchor.start):
            distance = (
                0
                if start < anchor.end and anchor.start < end
                else min(abs(start - anchor.end), abs(anchor.start - end))
            )
            if best_distance is None or distance < best_distance:
                best, best_distance = Span(start, end, needle), distance
        start = text.find(needle, start + 1)
    return best


def overlap(a: Span, b: Span) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


# --- scoring -------------------------------------------------------------------------


@dataclass
class Tally:
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    source_ok: int = 0
    kind_ok: int = 0
    outlet_ok: int = 0
    outlet_n: int = 0
    via_ok: int = 0
    via_n: int = 0
    resolved_ok: int = 0
    resolved_n: int = 0
    claim_overlap: float = 0.0
    negatives: int = 0
    false_on_negatives: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def ratio(self, name: str) -> float | None:
        num = getattr(self, f"{name}_ok")
        den = getattr(self, f"{name}_n", self.matched)
        return num / den if den else None


@dataclass
class Report:
    overall: Tally
    by_construction: dict[str, Tally]
    errors: list[dict[str, object]]
    outcomes: list[tuple[Attribution, bool]] = field(default_factory=list)

    def reliability(self) -> list[tuple[float, float, int, int]]:
        """(low, high, predictions, right) per confidence bin: a prediction is right when
        it matches a gold attribution and names its source."""
        rows = []
        for low, high in CONFIDENCE_BINS:
            inside = [ok for a, ok in self.outcomes if low <= a.confidence < high]
            rows.append((low, high, len(inside), sum(inside)))
        return rows


CONFIDENCE_BINS = ((0.0, 0.5), (0.5, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 0.95), (0.95, 1.01))


def score(gold: Iterable[GoldArticle], predictions: dict[str, list[Attribution]]) -> Report:
    overall = Tally()
    by_construction: dict[str, Tally] = defaultdict(Tally)
    errors: list[dict[str, object]] = []
    outcomes: list[tuple[Attribution, bool]] = []
    for ga in gold:
        preds = predictions.get(ga.article.id, [])
        overall.gold += len(ga.attributions)
        overall.predicted += len(preds)
        pairs = _match(ga.attributions, preds)
        matched_gold = {id(g) for g, _ in pairs}
        matched_pred = {id(p) for _, p in pairs}
        for g in ga.attributions:
            for label in g.gold.constructions or ["(none)"]:
                by_construction[label].gold += 1
        right = {id(p) for g, p in pairs if _compare(g, p)["source"]}
        outcomes += [(p, id(p) in right) for p in preds]
        for g, p in pairs:
            checks = _compare(g, p)
            for tally in [
                overall,
                *(by_construction[c] for c in g.gold.constructions or ["(none)"]),
            ]:
                tally.matched += 1
                tally.source_ok += checks["source"]
                tally.kind_ok += checks["kind"]
                tally.claim_overlap += _jaccard(g.claim, p.claim)
                if g.gold.outlet is not None or p.outlet is not None:
                    tally.outlet_n += 1
                    tally.outlet_ok += checks["outlet"]
                if g.gold.via is not None or p.via_outlet is not None:
                    tally.via_n += 1
                    tally.via_ok += checks["via"]
                if g.resolved is not None:
                    tally.resolved_n += 1
                    tally.resolved_ok += checks["resolved"]
            if not all(checks.values()):
                errors.append(
                    _error(ga, "wrong " + ", ".join(k for k, v in checks.items() if not v), g, p)
                )
        for g in ga.attributions:
            if id(g) not in matched_gold:
                errors.append(_error(ga, "missed", g, None))
        for p in preds:
            if id(p) not in matched_pred:
                negative = any(n.start <= p.cue.span.start < n.end for n in ga.negatives)
                overall.false_on_negatives += negative
                errors.append(_error(ga, "negative" if negative else "spurious", None, p))
        overall.negatives += len(ga.negatives)
    return Report(overall, dict(by_construction), errors, outcomes)


def _match(gold: list[Located], preds: list[Attribution]) -> list[tuple[Located, Attribution]]:
    candidates = sorted(
        (
            (overlap(g.claim, p.claim), _agreement(g, p), gi, pi)
            for gi, g in enumerate(gold)
            for pi, p in enumerate(preds)
        ),
        key=lambda c: (-c[0], -c[1], c[2], c[3]),
    )
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for size, _, gi, pi in candidates:
        if size <= 0:
            break
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gold[gi], preds[pi]))
    return pairs


def _agreement(g: Located, p: Attribution) -> int:
    """Among predictions with the same claim ("A, selon X, a précisé Y"), the one with the
    gold's cue and source is its match."""
    same_cue = p.cue.span.text.lower() == g.gold.cue.lower()
    same_source = (
        g.source is not None and p.source is not None and overlap(g.source, p.source.span) > 0
    )
    return 2 * same_source + same_cue


def _compare(g: Located, p: Attribution) -> dict[str, bool]:
    src = p.source
    if g.source is None:
        source_ok = src is None or src.kind.value in ("unnamed", "social_media")
    else:
        # the same mention, or the same antecedent: "Le M23 qui attribue" is Le M23's
        # whether the source is written "qui" (resolved to Le M23) or "Le M23". Whether a
        # pronoun's antecedent is right is scored apart ("antecedent").
        source_ok = src is not None and any(
            a is not None and b is not None and overlap(a, b) > 0
            for a, b in (
                (src.span, g.source),
                (src.resolved, g.resolved),
                (src.resolved, g.source),
                (src.span, g.resolved),
            )
        )
    kind = src.kind.value if src else "unnamed"
    resolved_ok = (
        g.resolved is not None
        and src is not None
        and src.resolved is not None
        and overlap(src.resolved, g.resolved) > 0
    )
    return {
        "source": source_ok,
        "kind": kind == g.gold.source_kind,
        "outlet": p.outlet == g.gold.outlet,
        "via": p.via_outlet == g.gold.via,
        "resolved": resolved_ok or g.resolved is None,
    }


def _jaccard(a: Span, b: Span) -> float:
    inter = overlap(a, b)
    union = max(a.end, b.end) - min(a.start, b.start)
    return inter / union if union else 0.0


def _error(
    ga: GoldArticle, what: str, g: Located | None, p: Attribution | None
) -> dict[str, object]:
    return {
        "article": ga.article.id,
        "error": what,
        "gold_cue": g.gold.cue if g else None,
        "gold_source": g.gold.source if g else None,
        "gold_kind": g.gold.source_kind if g else None,
        "gold_outlet": g.gold.outlet if g else None,
        "gold_via": g.gold.via if g else None,
        "gold_claim": g.gold.claim if g else None,
        "constructions": g.gold.constructions if g else [],
        "cue": p.cue.span.text if p else None,
        "source": p.source.span.text if p and p.source else None,
        "resolved": p.source.resolved.text if p and p.source and p.source.resolved else None,
        "kind": p.source.kind.value if p and p.source else None,
        "outlet": p.outlet if p else None,
        "via": p.via_outlet if p else None,
        "claim": p.claim.text if p else None,
    }


def error_summary(report: Report) -> Counter[str]:
    return Counter(str(e["error"]) for e in report.errors)
