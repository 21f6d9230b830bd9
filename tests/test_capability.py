"""The speaker-capability check: which nouns can name the author of words."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from attribution.extract.capability import can_speak
from attribution.lexicon import Lexicon
from attribution.nlp.conllu import read_conllu


def _noun(lemma: str, upos: str = "NOUN") -> str:
    return (
        f"# text = selon {lemma}\n"
        f"1\tselon\tselon\tADP\t_\t_\t2\tcase\t_\t_\n"
        f"2\t{lemma}\t{lemma}\t{upos}\t_\t_\t0\troot\t_\t_\n"
    )


def test_the_shipped_model_was_measured_on_held_out_nouns() -> None:
    text = resources.files("attribution.lexicon").joinpath("fr_speakers.txt").read_text("utf-8")
    found = re.search(r"held-out accuracy (\d+)/(\d+)", text)
    assert found is not None
    right, total = map(int, found.groups())
    assert total >= 100
    assert right / total >= 0.9


@pytest.mark.parametrize(
    "noun",
    # people, none of them a seed the model was trained on
    ["pharmacienne", "urgentiste", "préfète", "épidémiologiste", "secouriste", "huissier"],
)
def test_speakers(noun: str, fr: Lexicon) -> None:
    parse = read_conllu(_noun(noun))
    assert can_speak(parse, fr, parse.tokens[1])


@pytest.mark.parametrize(
    "noun",
    # times, places, things and measures, none of them a training seed either
    ["altitude", "automne", "lagune", "violon", "épaisseur", "vignoble"],
)
def test_not_speakers(noun: str, fr: Lexicon) -> None:
    parse = read_conllu(_noun(noun))
    assert not can_speak(parse, fr, parse.tokens[1])


def test_names_always_speak(fr: Lexicon) -> None:
    parse = read_conllu(_noun("Xqzwy", "PROPN"))
    assert can_speak(parse, fr, parse.tokens[1])
