"""Moving a claim's ends by word and by clause, as the reviewer adjusts it with keys.

A claim never crosses a line break (a paragraph) and never becomes empty: a move that
would do either leaves the span as it is.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+(?:['’-]\w+)*")
_CLAUSE_END = re.compile(r"[,;:.!?…»«“”()—–]")


def _paragraph(text: str, at: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return start, len(text) if end < 0 else end


def _words(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    return [m.span() for m in _WORD.finditer(text, lo, hi)]


def move_end(text: str, span: tuple[int, int], step: int, clause: bool = False) -> tuple[int, int]:
    """The span with its end one word (or clause) later (`step` 1) or earlier (-1)."""
    start, end = span
    lo, hi = _paragraph(text, start)
    if clause:
        ends = [m.start() for m in _CLAUSE_END.finditer(text, lo, hi)] + [hi]
        ends = [_trim_end(text, start, e) for e in ends]
    else:
        ends = [e for _, e in _words(text, lo, hi)]
    if step > 0:
        later = [e for e in ends if e > end]
        return (start, min(later)) if later else span
    earlier = [e for e in ends if start < e < end]
    return (start, max(earlier)) if earlier else span


def move_start(
    text: str, span: tuple[int, int], step: int, clause: bool = False
) -> tuple[int, int]:
    """The span with its start one word (or clause) later (`step` 1) or earlier (-1)."""
    start, end = span
    lo, hi = _paragraph(text, start)
    if clause:
        starts = [lo] + [m.end() for m in _CLAUSE_END.finditer(text, lo, hi)]
        starts = [_trim_start(text, s, end) for s in starts]
    else:
        starts = [s for s, _ in _words(text, lo, hi)]
    if step > 0:
        later = [s for s in starts if start < s < end]
        return (min(later), end) if later else span
    earlier = [s for s in starts if s < start]
    return (max(earlier), end) if earlier else span


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _trim_start(text: str, start: int, end: int) -> int:
    while start < end and text[start].isspace():
        start += 1
    return start
