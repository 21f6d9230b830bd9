"""How the default model's tokenizer is adjusted: words it would cut wrong. Sentences
written for these tests."""

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
