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
MIN_STEM = 4
# A sentence ends at . ! ? … (and the quotation mark closing it), before a capital or a quote.
_SENTENCE_END = re.compile(r"(?<=[.!?…])([»”\"’)]?)\s+(?=[«“\"A-ZÀ-ÖØ-Ý0-9])")


@dataclass(frozen=True)
class GatedText:
    blocks: list[tuple[int, str]]  # (offset, text) of what the parser gets
    sentences: int  # sentences of the whole text
    skipped_statements: int  # skipped sentences that state something (not questions)


def sentence_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence, by punctuation: a line break always ends one."""
    offset = 0
    for line in text.split("\n"):
        start = 0
        for m in _SENTENCE_END.finditer(line):
            yield offset + start, offset + m.start() + len(m.group(1))
            start = m.end()
        if line[start:].strip():
            yield offset + start, offset + len(line.rstrip())
        offset += len(line) + 1


_PATTERNS: dict[int, re.Pattern[str]] = {}


def cue_pattern(lex: Lexicon) -> re.Pattern[str]:
    """Everything that can start an attribution, as one case-insensitive regex over
    accent-folded text (built once per lexicon)."""
    if id(lex) not in _PATTERNS:
        _PATTERNS[id(lex)] = _build_pattern(lex)
    return _PATTERNS[id(lex)]


def _build_pattern(lex: Lexicon) -> re.Pattern[str]:
    words: set[str] = set()
    for phrases in lex.source_prepositions.values():
        words |= {" ".join(p) for p in phrases}
    for group in (
        lex.source_infinitives,
        lex.source_noun_phrases,
        lex.hearsay_patterns,
        lex.speech_phrases,
        lex.self_phrases,
        lex.continuation_phrases,
    ):
        words |= {" ".join(p) for p in group}
    words |= set(lex.speech_nouns) | set(lex.verb_forms) | set(lex.gate_words)
    words |= set(lex.source_kinds.get("social_media", ()))  # "sur les réseaux sociaux, …"
    stems = set()
    for lemma in lex.speech_verbs | lex.relay_verbs:
        for ending in sorted(lex.verb_endings, key=len, reverse=True):
            if lemma.endswith(ending) and len(lemma) - len(ending) >= MIN_STEM:
                stems.add(lemma[: len(lemma) - len(ending)])
                break
        else:
            words.add(lemma)
    folded = sorted({unaccented(w.lower()) for w in words if w}, key=len, reverse=True)
    alternatives = [re.escape(w).replace(r"\ ", r"\s*") + r"\b" for w in folded]
    alternatives += [
        re.escape(unaccented(s)) + r"\w*" for s in sorted(stems, key=len, reverse=True)
    ]
    marks = "".join(re.escape(o) for o, _ in lex.quote_pairs) + '"'
    view = "|".join(re.escape(w) for w in lex.view_prepositions)
    parts = [rf"\b(?:{'|'.join(alternatives)})", rf"[{marks}]"]
    if view:
        parts.append(rf"\b(?:{view})\s[^,.;]{{1,80}},")  # "Pour le ministre, …"
    return re.compile("|".join(parts), re.IGNORECASE)


def gate(text: str, lex: Lexicon) -> GatedText:
    spans = list(sentence_spans(text))
    pattern = cue_pattern(lex)
    keep: set[int] = set()
    for k, (start, end) in enumerate(spans):
        if pattern.search(unaccented(text[start:end].replace("’", "'"))):
            keep.update(range(max(0, k - CONTEXT_SENTENCES), k + 1))
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
