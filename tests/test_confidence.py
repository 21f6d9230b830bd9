"""Calibrated confidence: measured shares, pulled towards coarser keys when rare, and
lowered by their uncertainty; and the reliability table of `attribution evaluate`."""

from __future__ import annotations

from attribution.evaluate import GoldArticle, GoldAttribution, Located, score
from attribution.extract.confidence import measured
from attribution.lexicon import Lexicon
from attribution.model import Article, Attribution, Cue, CueType, Mention, SourceKind, Span

COUNTS = {"all": (100, 80), "rule": (400, 396), "rule|named|body": (2, 0)}


def test_a_well_measured_rule_earns_a_high_confidence() -> None:
    assert measured(["all", "rule"], COUNTS) >= 0.95


def test_a_rare_key_stays_near_its_rule_and_below_it() -> None:
    fine = measured(["all", "rule", "rule|named|body"], COUNTS)
    assert fine is not None
    assert 0.5 < fine < measured(["all", "rule"], COUNTS)


def test_unmeasured_keys_fall_back_and_nothing_measured_gives_none() -> None:
    assert measured(["all", "other"], COUNTS) == measured(["all", "never-seen"], COUNTS)
    assert measured(["all"], {}) is None


def test_the_shipped_french_table_is_loaded(fr: Lexicon) -> None:
    assert fr.calibration["all"][0] > 100


def _attribution(text: str, start: int, end: int, confidence: float) -> Attribution:
    source = Mention(Span(0, 2, text[:2]), SourceKind.OFFICIAL)
    return Attribution(
        "a",
        0,
        Cue(Span(3, 8, text[3:8]), CueType.VERB, "dire"),
        Span(start, end, text[start:end]),
        source,
        confidence=confidence,
    )


def test_the_reliability_table_counts_right_predictions_per_bin() -> None:
    text = "Il a dit que le pont tient. Ou pas du tout, vraiment."
    gold = GoldAttribution(
        type="attribution",
        article="a",
        cue="a dit",
        source="Il",
        source_kind="official",
        claim="le pont tient",
    )
    located = Located(gold, Span(13, 26, text[13:26]), Span(0, 2, "Il"), None)
    article = GoldArticle(path=None, article=Article("a", text), attributions=[located])  # type: ignore[arg-type]
    right = _attribution(text, 13, 26, 0.92)
    wrong = _attribution(text, 31, 42, 0.55)
    rows = {low: (n, ok) for low, _, n, ok in score([article], {"a": [right, wrong]}).reliability()}
    assert rows[0.9] == (1, 1)
    assert rows[0.5] == (1, 0)
