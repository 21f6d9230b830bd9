"""How `attribution evaluate` finds the gold's spans in the article and when it counts a
predicted source as the gold's. Articles written for these tests."""

from __future__ import annotations

import json
from pathlib import Path

from attribution.evaluate import load_gold, score
from attribution.model import Attribution, Cue, CueType, Mention, SourceKind, Span


def _gold(tmp_path: Path, text: str, **record: object) -> Path:
    (tmp_path / "a.txt").write_text(text, "utf-8")
    gold = tmp_path / "gold.jsonl"
    base = {"type": "attribution", "article": "a.txt", "source_kind": "organization"}
    gold.write_text(json.dumps(base | record, ensure_ascii=False) + "\n", "utf-8")
    return gold


def _at(text: str, needle: str, occurrence: int = 0) -> Span:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    return Span(start, start + len(needle), needle)


def test_the_gold_source_is_found_beside_its_cue_and_as_whole_words(tmp_path: Path) -> None:
    text = "Le pont a cédé, précise la Ligue. Deux routes sont fermées, selon la Ligue."
    gold = _gold(tmp_path, text, cue="selon", source="la Ligue", claim="Deux routes sont fermées")
    [article] = load_gold(gold)
    [located] = article.attributions
    assert located.source == _at(text, "la Ligue", 1)  # not the one nearer the claim's start
    pronoun = "En ville, le maire parle. Il a dit que le pont tient."
    gold = _gold(tmp_path, pronoun, cue="a dit", source="il", claim="le pont tient")
    [located] = load_gold(gold)[0].attributions
    assert located.source is None  # "il" of "ville" is no pronoun; the gold wrote "Il"


def _predicted(text: str, source: Span, resolved: Span | None, claim: str) -> Attribution:
    return Attribution(
        "a",
        0,
        Cue(_at(text, "annonce"), CueType.VERB, "annoncer"),
        _at(text, claim),
        Mention(source, SourceKind.ORGANIZATION, resolved=resolved),
    )


def test_a_source_is_right_when_it_names_the_gold_mention_through_its_antecedent(
    tmp_path: Path,
) -> None:
    text = "La Ligue qui annonce une grève pour lundi a prévenu les usagers."
    claim = "une grève pour lundi"
    gold = _gold(tmp_path, text, cue="annonce", source="La Ligue", claim=claim)
    articles = load_gold(gold)
    relative = _predicted(text, _at(text, "qui"), _at(text, "La Ligue"), claim)
    key = articles[0].article.id
    assert score(articles, {key: [relative]}).overall.source_ok == 1
    unresolved = _predicted(text, _at(text, "qui"), None, claim)
    assert score(articles, {key: [unresolved]}).overall.source_ok == 0
    # and the other way round: the gold wrote the pronoun, the prediction the antecedent
    gold = _gold(
        tmp_path, text, cue="annonce", source="qui", source_resolved="La Ligue", claim=claim
    )
    named = _predicted(text, _at(text, "La Ligue"), None, claim)
    assert score(load_gold(gold), {key: [named]}).overall.source_ok == 1
