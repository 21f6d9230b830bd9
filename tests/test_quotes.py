"""Quotations found in the raw text: pairs of marks, straight marks by their position, quotes
that run over paragraphs. Sentences written for these tests."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from attribution.extract.quotes import find_quotes

PAIRS = [("«", "»"), ("“", "”")]


def _inner(text: str) -> list[str]:
    return [q.inner.text for q in find_quotes(text, PAIRS)]


def test_french_and_english_marks_pair() -> None:
    assert _inner("Il a dit « le pont tient » hier.") == ["le pont tient"]
    assert _inner("“The bridge holds,” she said.") == ["The bridge holds"]


def test_a_straight_mark_glued_to_a_word_opens_the_next_quote() -> None:
    text = '"Le pont tient, dit-il. "Nous le rouvrirons lundi". Puis il est parti.'
    assert _inner(text) == ["Le pont tient, dit-il.", "Nous le rouvrirons lundi"]
    # a closing mark glued to the word before it still closes
    assert _inner('Il dit "le pont tient" et part.') == ["le pont tient"]


def test_a_quote_goes_on_in_the_next_paragraph_when_it_reopens() -> None:
    text = "« Le pont tient.\n« Nous le rouvrirons lundi. »\nFin."
    [quote] = find_quotes(text, PAIRS)
    assert quote.inner.text.endswith("lundi.")
    assert _inner("« Le pont tient.\nFin.") == ["Le pont tient."]


@given(st.text(alphabet='ab «»“”" .\n', max_size=60))
def test_quotes_are_in_order_inside_the_text_and_never_overlap(text: str) -> None:
    quotes = find_quotes(text, PAIRS)
    for q in quotes:
        assert 0 <= q.start < q.end <= len(text)
        assert q.start < q.inner.start <= q.inner.end <= q.end
        assert text[q.inner.start : q.inner.end] == q.inner.text
    for a, b in itertools.pairwise(quotes):
        assert a.end <= b.start
