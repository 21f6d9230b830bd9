"""Quotations found in the raw text, before any parsing: « … », “ … ”, " … ".

A French quotation that runs over several paragraphs reopens each paragraph with « and
closes once at its end; such a quote is one span. A quotation mark never closed before
the end of its paragraph (and not continued) closes there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from attribution.model import Span


@dataclass(frozen=True, slots=True)
class Quote:
    start: int  # offset of the opening mark
    end: int  # offset just after the closing mark (or the end of the paragraph)
    inner: Span  # the quoted words, marks and edge spaces excluded

    @property
    def words(self) -> int:
        return len(self.inner.text.split())


def find_quotes(text: str, pairs: Sequence[tuple[str, str]]) -> list[Quote]:
    """Top-level quotations in text order (a quote inside a quote is part of it)."""
    openers = dict(pairs)
    quotes: list[Quote] = []
    stack: list[str] = []  # expected closing marks
    start = 0
    k = 0
    n = len(text)
    while k < n:
        ch = text[k]
        if ch == "\n" and stack:
            nxt = _paragraph_start(text, k)
            if nxt < n and text[nxt] in openers and openers[text[nxt]] == stack[0]:
                k = nxt + 1  # the quotation goes on in the next paragraph
                continue
            quotes.append(_quote(text, start, k))
            stack.clear()
        elif ch == '"':
            if stack == ['"'] and _starts_a_word(text, k):
                # "A, dit-il. "B": a mark glued to the next word only opens; the quote
                # before it ended with the incise
                quotes.append(_quote(text, start, k))
                start = k
            elif stack and stack[-1] == '"':
                stack.pop()
                if not stack:
                    quotes.append(_quote(text, start, k + 1))
            elif _opens_straight(text, k):
                if not stack:
                    start = k
                stack.append('"')
        elif ch in openers and not (stack and stack[-1] == ch):
            if not stack:
                start = k
            stack.append(openers[ch])
        elif stack and ch == stack[-1]:
            stack.pop()
            if not stack:
                quotes.append(_quote(text, start, k + 1))
        k += 1
    if stack:
        quotes.append(_quote(text, start, n))
    return [q for q in quotes if q.inner.text]


def _paragraph_start(text: str, k: int) -> int:
    """Offset of the first non-space character after the line break at k."""
    j = k
    while j < len(text) and text[j] in " \t\n\u00a0\u202f":
        j += 1
    return j


def _opens_straight(text: str, k: int) -> bool:
    """A straight double quote opens when it is not glued to the word before it."""
    return k == 0 or not text[k - 1].isalnum()


def _starts_a_word(text: str, k: int) -> bool:
    """A straight mark after a space and before a word: "… a dit. "Je …"."""
    return 0 < k < len(text) - 1 and text[k - 1].isspace() and text[k + 1].isalnum()


def _quote(text: str, start: int, end: int) -> Quote:
    inner_start = start + 1
    inner_end = end - 1 if end > start + 1 and text[end - 1] in '»”"›“' else end
    while inner_start < inner_end and text[inner_start].isspace():
        inner_start += 1
    while inner_end > inner_start and (text[inner_end - 1].isspace() or text[inner_end - 1] == ","):
        inner_end -= 1  # English puts the comma before the closing mark: “…,” she said
    return Quote(start, end, Span(inner_start, inner_end, text[inner_start:inner_end]))
