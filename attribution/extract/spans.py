"""Spans over the parse: the words of a source mention, the words of a claim."""

from __future__ import annotations

import re
from collections.abc import Iterable

from attribution.model import Parse, Span, Token

# Dependents that end a noun phrase as a source mention: clauses and appositions say
# something about the source, they do not name it.
_MENTION_CUT = {"acl", "parataxis", "advcl", "punct", "ccomp", "xcomp", "dep", "cc", "conj"}
_EDGE_PUNCT = set(",;:.-–—()[]«»“”\"'’…!?")


def span_of(parse: Parse, tokens: Iterable[Token]) -> Span | None:
    toks = sorted(tokens, key=lambda t: t.i)
    if not toks:
        return None
    start, end = min(t.start for t in toks), max(t.end for t in toks)
    return Span(start, end, parse.text[start:end])


def whole_words(text: str, span: Span) -> Span:
    """The span widened to the whole words it cuts ("al" of "al-Akhbar")."""
    start, end = span.start, span.end
    while start > 0 and _word_char(text, start - 1):
        start -= 1
    while end < len(text) and _word_char(text, end):
        end += 1
    return span if (start, end) == (span.start, span.end) else Span(start, end, text[start:end])


_ACRONYM = re.compile(r"\s*\(\s*[A-Z][\w&.-]{1,14}\s*\)")


def with_acronym(text: str, span: Span) -> Span:
    """The name with the acronym that follows it in parentheses: "… de l'homme (OSDH)"."""
    m = _ACRONYM.match(text, span.end)
    if m is None:
        return span
    return Span(span.start, m.end(), text[span.start : m.end()])


_PAIRS = (("«", "»"), ("“", "”"), ("(", ")"))
_REACH = 3  # how far past the span a closing mark may stand (spaces, a full stop)


def balanced(text: str, span: Span) -> Span:
    """The span widened to the quotation mark or parenthesis it opens or closes without
    its twin, when that twin stands right beside it: a claim ends with the closing » of
    its quotation, a name with the ")" of its acronym."""
    start, end = span.start, span.end
    inner = text[start:end]
    for opening, closing in _PAIRS:
        if inner.count(opening) > inner.count(closing):
            k = text.find(closing, end, end + _REACH + 1)
            end = k + 1 if k >= 0 and "\n" not in text[end:k] else end
        elif inner.count(closing) > inner.count(opening):
            k = text.rfind(opening, max(0, start - _REACH - 1), start)
            start = k if k >= 0 and "\n" not in text[k:start] else start
    if inner.count('"') % 2 and text[end : end + _REACH + 1].lstrip(" ").startswith('"'):
        end = text.index('"', end) + 1
    if (start, end) == (span.start, span.end):
        return span
    return Span(start, end, text[start:end])


def _word_char(text: str, k: int) -> bool:
    ch = text[k]
    if ch.isalnum():
        return True
    if ch in "'’" and text[k + 1 : k + 2] == "s" and not text[k + 2 : k + 3].isalnum():
        return False  # "CNN's": a possessive, not a letter of the name
    return ch in "-'’" and 0 < k < len(text) - 1 and text[k - 1].isalnum() and text[k + 1].isalnum()


def mention_tokens(parse: Parse, head: Token) -> list[Token]:
    """The noun phrase headed by `head`, as a source is named: determiners, adjectives,
    names and complements ("le quotidien libanais Al-Akhbar", "des sources proches du
    dossier"), without its case marker, relative clauses or appositions after a comma."""
    if head.upos == "PRON" and head.text.startswith("-"):
        return [head]  # "-elle" of "a-t-elle dit": whatever the parser hung on it
    keep = {head.i}
    stack = [head]
    while stack:
        tok = stack.pop()
        for child in parse.children(tok.i):
            if child.i in keep:
                continue
            if tok is head and child.rel == "case":
                continue  # "à l'AFP", "CNN's": the marker is not the name
            if child.rel in _MENTION_CUT and not _glued(parse, child):
                continue
            named = child.rel == "appos" and child.upos == "PROPN" and tok is head
            if _after_comma(parse, tok, child) and not named:
                continue  # an apposition describes; only a name in apposition names
            keep.add(child.i)
            stack.append(child)
    return _whole_name(parse, _contiguous(parse, head, keep))


def names_maker(parse: Parse, tok: Token) -> bool:
    """ "dressé par le ministère": a participle on a noun that names who made the thing."""
    return tok.rel == "acl" and any(c.deprel == "obl:agent" for c in parse.children(tok.i))


def _whole_name(parse: Parse, toks: list[Token]) -> list[Token]:
    """A name the parser split goes on after the mention: capitalised proper nouns ("Midi"
    + "Libre") or a named entity's words ("l'ONG" + "Médecins du Monde")."""
    if not toks:
        return toks
    last = toks[-1]
    sent_end = parse.sentences[last.sent].last
    k = last.i + 1
    while k < sent_end:
        tok = parse.tokens[k]
        capital = tok.text[:1].isupper()
        if capital and (tok.upos == "PROPN" or tok.ent):
            k += 1
        elif tok.ent and not capital and k > last.i + 1 and k + 1 < sent_end:
            nxt = parse.tokens[k + 1]  # "du" inside "Médecins du Monde"
            if not (nxt.ent == tok.ent and nxt.text[:1].isupper()):
                break
            k += 1
        else:
            break
    return toks + [parse.tokens[j] for j in range(last.i + 1, k)]


def _glued(parse: Parse, tok: Token) -> bool:
    """A hyphen or apostrophe inside a name ("al-Akhbar"), touching both neighbours."""
    before = parse.tokens[tok.i - 1] if tok.i > 0 else None
    after = parse.tokens[tok.i + 1] if tok.i + 1 < len(parse.tokens) else None
    return (
        tok.text in ("-", "'", "’")
        and before is not None
        and after is not None
        and before.end == tok.start
        and after.start == tok.end
    )


def _after_comma(parse: Parse, head: Token, child: Token) -> bool:
    """A dependent separated from the head by a comma is an apposition."""
    lo, hi = sorted((head.i, child.i))
    return any(parse.tokens[k].text == "," for k in range(lo + 1, hi))


def _contiguous(parse: Parse, head: Token, keep: set[int]) -> list[Token]:
    lo = hi = head.i
    while lo - 1 in keep:
        lo -= 1
    while hi + 1 in keep or (
        parse.tokens[hi + 1].text == "," and hi + 2 in keep if hi + 2 < len(parse.tokens) else False
    ):
        hi += 1
    toks = [parse.tokens[k] for k in range(lo, hi + 1)]
    while toks and toks[0].text in _EDGE_PUNCT:
        toks.pop(0)
    while toks and toks[-1].text in _EDGE_PUNCT:
        toks.pop()
    return toks


def description_tokens(parse: Parse, head: Token, words: frozenset[str]) -> list[Token]:
    """The article's own words about a source: "X, affilié à l'opposition", "X (proche de Y)"."""
    for child in parse.children(head.i):
        if child.i < head.i:
            continue
        described = child.rel in ("acl", "appos", "amod", "nmod") and (
            child.lemma.lower() in words or child.text.lower() in words
        )
        name = child.rel == "appos" and child.upos == "PROPN"  # part of the mention
        if described or (child.rel == "appos" and _after_comma(parse, head, child) and not name):
            toks = [t for t in parse.subtree(child) if t.sent == head.sent]
            return trim(toks)
    return []


def claim_tokens(parse: Parse, clause: Token, exclude: Iterable[Token]) -> list[Token]:
    """The clause's words without the cue and the source, trimmed of edge punctuation
    and of a leading complementizer or conjunction."""
    drop = {t.i for t in exclude}
    toks = [t for t in parse.subtree(clause) if t.i not in drop]
    return trim(toks)


def trim(toks: list[Token]) -> list[Token]:
    opened = [k for k, t in enumerate(toks) if t.text == "("]
    if opened and not any(t.text == ")" for t in toks[opened[-1] :]):
        toks = toks[: opened[-1]]  # an unbalanced "(" starts an aside: cut it off
    # a leading "que"/"that" (mark) or "et"/"and" (cc) introduces the content, it is not part of it
    while toks and (toks[0].text in _EDGE_PUNCT or toks[0].rel in ("mark", "cc")):
        toks = toks[1:]
    while toks and toks[-1].text in _EDGE_PUNCT:
        toks = toks[:-1]
    return toks
