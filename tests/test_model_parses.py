"""Rules that must hold when the parser is wrong: sentences written for the tests, parsed by
the default model and kept with the model's mistakes (`tests/data/model_parses/`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from attribution.extract import extract
from attribution.lexicon import Lexicon
from attribution.model import Attribution
from attribution.nlp.conllu import read_conllu
from tests.test_constructions_fr import as_dict

PARSES = Path(__file__).parent / "data" / "model_parses"
EXPECTED: dict[str, list[dict[str, Any]]] = json.loads(
    (PARSES / "expected.json").read_text(encoding="utf-8")
)


def test_every_file_has_an_expectation() -> None:
    assert {p.stem for p in PARSES.glob("*.conllu")} == set(EXPECTED)


def _position(a: Attribution) -> tuple[int, int]:
    return a.cue.span.start, a.source.span.start if a.source else 0


@pytest.mark.parametrize("label", sorted(EXPECTED))
def test_found_despite_the_parse(label: str, fr: Lexicon) -> None:
    parse = read_conllu((PARSES / f"{label}.conllu").read_text(encoding="utf-8"))
    found = sorted(extract(parse, fr, "doc"), key=_position)
    expected = EXPECTED[label]
    pairs = zip(found, expected, strict=False)
    got = [{k: v for k, v in as_dict(a).items() if k in e} for a, e in pairs]
    assert len(found) == len(expected), [as_dict(a) for a in found]
    assert got == expected
