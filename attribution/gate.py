"""Cue-gated parsing: parse only the sentences that can hold an attribution.

A fast pass splits each line into sentences and keeps those with a cue word, a speech
verb, a quotation mark or a hearsay word (all from the lexicon), plus the sentences
before them that resolution needs (antecedents, quotes' speakers, continuations). The
other sentences are only counted, for the audit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from attribution.lexicon import Lexicon, unaccented

CONTEXT_SENTENCES = 2  # sentences kept before a cue sentence, for pronouns and speakers
# A sentence ends at . ! ? … (and the quotation mark closing it), before a capital or a quote.
_SENTENCE_END = re.compile(r"(?<=[.!?…])([»”\"’)]?)\s+(?=[«“\"A-ZÀ-ÖØ-Ý0-9])")


@dataclass(frozen=True)
class GatedText:
    blocks: list[tuple[int, str]]  # (offset, text) of what the parser gets
    sentences: int  # sentences of the whole text
    skipped_statements: int  # skipped sentences that state something (not questions)


def sentence_spans(
    text: str, abbreviations: frozenset[str] = frozenset()
) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence, by punctuation: a line break always ends one, a
    title or an initial before its full stop ("M. Martin", "J. Dupont") never does."""
    offset = 0
    for line in text.split("\n"):
        start = 0
        for m in _SENTENCE_END.finditer(line):
            if not m.group(1) and _abbreviation(line[: m.start()], abbreviations):
                continue
            yield offset + start, offset + m.start() + len(m.group(1))
            start = m.end()
        if line[start:].strip():
            yield offset + start, offset + len(line.rstrip())
        offset += len(line) + 1


_LAST_WORD = re.compile(r"(\w+)\.$")


def _abbreviation(before: str, abbreviations: frozenset[str]) -> bool:
    """Whether the full stop that ends `before` closes a title or an initial."""
    m = _LAST_WORD.search(before)
    if m is None:
        return False
    word = m.group(1)
    return (len(word) == 1 and word.isupper()) or word in abbreviations


# Accented Latin letters folded to their base letter, one character for one, so that
# "déclaré" and "declare" match alike and offsets hold.
_FOLD = str.maketrans(
    {
        c: base
        for c in map(chr, range(0xC0, 0x250))
        if len(base := unaccented(c)) == 1 and base != c and ord(base) < 0x80
    }
    | {"’": "'", "‘": "'", "ʼ": "'"}
)
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class CueMatcher:
    """What can start an attribution, from the lexicon: single words (a set lookup) and
    phrases, quotation marks and "pour X," (one regex), over folded text."""

    words: frozenset[str]
    pattern: re.Pattern[str]
    anaphors: frozenset[str]  # words that point back: pronouns, demonstratives
    marks: frozenset[str]  # quotation marks: a quote's speaker may be in the sentence before

    def __call__(self, folded: str) -> bool:
        return bool(self.pattern.search(folded)) or not self.words.isdisjoint(
            _WORD.findall(folded.lower())
        )

    def refers_back(self, folded: str) -> bool:
        """Whether a cue sentence may need the sentences before it: for a pronoun's or a
        demonstrative's antecedent, a continuation's source, a quote's speaker."""
        return not self.marks.isdisjoint(folded) or not self.anaphors.isdisjoint(
            _WORD.findall(folded.lower())
        )


_MATCHERS: dict[int, CueMatcher] = {}


def cue_matcher(lex: Lexicon) -> CueMatcher:
    """The lexicon's cue matcher (built once per lexicon)."""
    if id(lex) not in _MATCHERS:
        _MATCHERS[id(lex)] = _build_matcher(lex)
    return _MATCHERS[id(lex)]


def fold(text: str) -> str:
    """Accents off, plain apostrophes: same length as the text."""
    return text.translate(_FOLD)


def verb_forms(lex: Lexicon, lemma: str) -> set[str]:
    """A verb as the gate sees it: infinitive, regular forms, and the bare stem of a
    class with an infinitive ending ("dément" from "démentir"); irregular forms are the
    lexicon's gate words."""
    stems = {
        lemma[: -len(ending)] for ending in lex.verb_endings if ending and lemma.endswith(ending)
    }
    return {lemma, *stems, *lex.inflections(lemma)}


def _phrase(phrase: str) -> str:
    """A phrase as a regex: one word may come between two of its words ("il serait même
    question", "a fait également savoir")."""
    words = [re.escape(w) for w in re.split(r"\s+|(?<=')", phrase) if w]
    return r"(?:\s*\w+\s)?\s*".join(words)


def _build_matcher(lex: Lexicon) -> CueMatcher:
    entries: set[str] = set()
    for phrases in lex.source_prepositions.values():
        entries |= {" ".join(p) for p in phrases}
    for group in (
        lex.source_infinitives,
        lex.source_noun_phrases,
        lex.hearsay_patterns,
        lex.speech_phrases,
        lex.self_phrases,
        lex.continuation_phrases,
    ):
        entries |= {" ".join(p) for p in group}
    for lemma in lex.speech_verbs | lex.relay_verbs:
        entries |= verb_forms(lex, lemma)
    for first, *rest in lex.speech_phrases:  # "laisse entendre", "a tiré la sonnette …"
        entries |= {" ".join([form, *rest]) for form in verb_forms(lex, first)}
    entries |= set(lex.speech_nouns) | set(lex.gate_words)
    entries |= set(lex.source_kinds.get("social_media", ()))  # "sur les réseaux sociaux, …"
    folded = {fold(e.lower()) for e in entries if e}
    words = frozenset(e for e in folded if _WORD.fullmatch(e))
    multiword = sorted(folded - words, key=len, reverse=True)
    parts = [r"(?<!\w)(?:" + "|".join(_phrase(p) for p in multiword) + r")(?!\w)"]
    parts.append("[" + re.escape("".join(o for o, _ in lex.quote_pairs) + '"') + "]")
    if lex.view_prepositions:
        # "Pour le ministre, …", "pour Jean Dupont, …", "pour lui, …": a holder of views
        holders = sorted(
            {fold(w) for w in lex.view_holder_nouns | lex.view_holder_pronouns}, key=len
        )
        parts.append(
            rf"\b(?:{'|'.join(map(re.escape, lex.view_prepositions))})\s"
            rf"(?:[^,.;]{{0,40}}?\b(?:{'|'.join(map(re.escape, holders))})\b"
            r"|(?-i:[A-Z]))[^,.;]{0,80},"
        )
    anaphors = {
        w
        for group in (
            lex.pronouns,
            lex.demonstrative_pronouns,
            lex.demonstrative_adjectives,
            lex.demonstrative_determiners,
            *lex.continuation_phrases,
        )
        for entry in group
        for w in _WORD.findall(fold(entry.lower()))[:1]  # "celui-ci": celui; "même source": même
    }
    marks = frozenset("".join(o + c for o, c in lex.quote_pairs) + '"')
    return CueMatcher(words, re.compile("|".join(parts), re.IGNORECASE), frozenset(anaphors), marks)


def gate(text: str, lex: Lexicon) -> GatedText:
    spans = list(sentence_spans(text, lex.abbreviations))
    matcher = cue_matcher(lex)
    folded = fold(text)
    keep: set[int] = set()
    for k, (start, end) in enumerate(spans):
        sentence = folded[start:end]
        if matcher(sentence):
            context = CONTEXT_SENTENCES if matcher.refers_back(sentence) else 0
            keep.update(range(max(0, k - context), k + 1))
    blocks = _merge([spans[k] for k in sorted(keep)], text)
    skipped = [
        (s, e)
        for k, (s, e) in enumerate(spans)
        if k not in keep and not text[s:e].rstrip().endswith("?") and len(text[s:e].split()) >= 4
    ]
    return GatedText(blocks, len(spans), len(skipped))


def _merge(spans: list[tuple[int, int]], text: str) -> list[tuple[int, str]]:
    """Consecutive kept sentences of one line become one block (the parser sees them
    together, as it would the whole line)."""
    blocks: list[tuple[int, int]] = []
    for start, end in spans:
        if (
            blocks
            and "\n" not in text[blocks[-1][1] : start]
            and text[blocks[-1][1] : start].strip() == ""
        ):
            blocks[-1] = (blocks[-1][0], end)
        else:
            blocks.append((start, end))
    return [(s, text[s:e]) for s, e in blocks]
