"""The first extraction rules, pinned on hand-checked parses (no model)."""

from __future__ import annotations

from attribution.extract import extract
from attribution.lexicon import Lexicon
from attribution.model import CueType, SourceKind
from tests.conftest import conllu


def test_selon_preposed_takes_the_main_clause_as_claim(fr: Lexicon) -> None:
    [a] = extract(conllu("selon_preposed"), fr, "doc")
    assert a.cue.span.text == "Selon"
    assert a.cue.type is CueType.PREPOSITION
    assert a.source is not None
    assert a.source.span.text == "le quotidien libanais Al-Nour"
    assert a.source.kind is SourceKind.OUTLET
    assert a.claim.text == "la route du col est coupée depuis lundi"


def test_selon_postposed(fr: Lexicon) -> None:
    [a] = extract(conllu("selon_postposed"), fr, "doc")
    assert a.source is not None
    assert a.source.span.text == "des habitants du village"
    assert a.source.kind is SourceKind.WITNESS
    assert a.claim.text == "La route du col est coupée depuis lundi"


def test_dapres(fr: Lexicon) -> None:
    [a] = extract(conllu("dapres"), fr, "doc")
    assert a.cue.span.text == "D'après"
    assert a.source is not None
    assert a.source.span.text == "l'agence Reuters"
    assert a.claim.text == "le barrage a cédé dans la nuit"


def test_speech_verb_with_que_clause(fr: Lexicon) -> None:
    [a] = extract(conllu("verb_que"), fr, "doc")
    assert a.cue.span.text == "a affirmé"
    assert a.cue.type is CueType.VERB
    assert a.source is not None
    assert a.source.span.text == "Le ministère de la Santé"
    assert a.source.kind is SourceKind.OFFICIAL
    assert a.claim.text == "le pont tenait toujours"
    assert not a.direct_quote


def test_criteria_and_afternoons_are_not_attributions(fr: Lexicon) -> None:
    assert extract(conllu("not_attribution"), fr, "doc") == []


def test_ids_do_not_depend_on_offsets(fr: Lexicon) -> None:
    [a] = extract(conllu("verb_que"), fr, "doc")
    [b] = extract(conllu("verb_que"), fr, "doc")
    assert a.id == b.id
    [c] = extract(conllu("verb_que"), fr, "other")
    assert c.id != a.id
