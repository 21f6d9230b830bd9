"""How the spaCy backend adjusts the model's cuts: words its tokenizer would cut wrong,
and where sentences start. Sentences written for these tests."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "pronoun"),
    [
        ("« Le pont tient », disent-elles.", "-elles"),
        ("Le pont a cédé, ont-elles ajouté.", "-elles"),
        ("Le pont a cédé, ONT-ELLES AJOUTÉ.", "-ELLES"),
        ("Le pont a cédé, ont-ils précisé.", "-ils"),
        ("Le pont a cédé, a-t-elle dit.", "-elle"),
    ],
)
def test_a_hyphenated_subject_pronoun_is_a_word_of_its_own(
    french_nlp: Any, text: str, pronoun: str
) -> None:
    assert pronoun in [t.text for t in french_nlp.tokenizer(text)]


def test_a_quotation_opening_after_a_word_with_its_full_stop_starts_a_sentence() -> None:
    import spacy

    from attribution.nlp.spacy_backend import mark_sentence_starts

    text = "“I agree,” said Sen. Bob Smith, R-Tenn. “But it is late.” Then Dr. Lee left."
    doc = mark_sentence_starts(spacy.blank("en")(text), frozenset({"Sen.", "Dr."}))
    assert [t.text for t in doc if t.is_sent_start] == ["“", "“", "Then"]
