"""Golden tests: one hand-corrected UD parse per French construction, no model.

Each `tests/data/constructions/<label>.conllu` holds a short news text written for the
test and its parse, checked and corrected by hand to UD French (heads, relations, lemmas,
features, multi-word tokens "du" = "de le"…). `expected.json` says, for each label, what an
annotator expects `extract` to return: only the keys an entry lists are compared, and the
attributions are compared in the order of their cues.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from attribution.extract import extract
from attribution.lexicon import Lexicon
from attribution.model import Attribution, Parse
from attribution.nlp.conllu import read_conllu

CONSTRUCTIONS = Path(__file__).parent / "data" / "constructions"
EXPECTED: dict[str, list[dict[str, Any]]] = json.loads(
    (CONSTRUCTIONS / "expected.json").read_text(encoding="utf-8")
)

# Labels whose expectation the extractor does not meet yet: what it gets wrong.
KNOWN_FAILURES: dict[str, str] = {}


def construction(label: str) -> Parse:
    return read_conllu((CONSTRUCTIONS / f"{label}.conllu").read_text(encoding="utf-8"))


def as_dict(a: Attribution) -> dict[str, Any]:
    return {
        "cue": a.cue.span.text,
        "cue_type": a.cue.type.value,
        "source": a.source.span.text if a.source else None,
        "source_kind": a.source.kind.value if a.source else "unnamed",
        "source_resolved": a.source.resolved.text if a.source and a.source.resolved else None,
        "source_description": (
            a.source.description.text if a.source and a.source.description else None
        ),
        "via": a.via.span.text if a.via else None,
        "claim": a.claim.text,
        "direct_quote": a.direct_quote,
    }


def _param(label: str) -> Any:
    if label in KNOWN_FAILURES:
        reason = KNOWN_FAILURES[label]
        return pytest.param(label, marks=pytest.mark.xfail(strict=True, reason=reason))
    return label


def test_every_label_has_a_parse_and_the_parses_are_well_formed() -> None:
    files = {p.stem for p in CONSTRUCTIONS.glob("*.conllu")}
    assert files == set(EXPECTED)
    assert set(KNOWN_FAILURES) <= set(EXPECTED)
    for label in sorted(EXPECTED):
        parse = construction(label)
        assert parse.sentences, label
        for sent in parse.sentences:
            roots = [t for t in parse.sentence_tokens(sent) if t.head is None]
            assert len(roots) == 1, (label, sent.index)


@pytest.mark.parametrize("label", [_param(label) for label in sorted(EXPECTED)])
def test_construction(label: str, fr: Lexicon) -> None:
    found = sorted(extract(construction(label), fr, "doc"), key=lambda a: a.cue.span.start)
    got = [as_dict(a) for a in found]
    expected = EXPECTED[label]
    trimmed = [
        {key: value for key, value in g.items() if key in e}
        for g, e in zip(got, expected, strict=False)
    ]
    assert len(got) == len(expected), got
    assert trimmed == expected
