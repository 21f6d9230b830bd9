"""What every backend shares: the word record it emits and how words become a Parse."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from attribution.model import Parse, Sentence, Token

# Same length replacements only: offsets computed on the normalized text hold for the
# original. The spaCy French models split "l’armée" badly with a typographic apostrophe.
_PARSER_CHARS = str.maketrans(
    {
        "\u2019": "'",  # right single quotation mark
        "\u2018": "'",
        "\u02bc": "'",  # modifier letter apostrophe
        "\u00a0": " ",  # no-break space
        "\u202f": " ",  # narrow no-break space
        "\u2009": " ",  # thin space
        "\u2007": " ",
        "*": " ",  # Markdown emphasis ("**12h30**") is not a word
    }
)


def normalize_for_parser(text: str) -> str:
    """The text a parser should see: same length, same offsets, plain apostrophes and spaces."""
    return text.translate(_PARSER_CHARS)


@dataclass(frozen=True, slots=True)
class Word:
    """A word as a backend reports it, with its head as a 1-based index in its sentence
    (0 for the root), the CoNLL-U convention."""

    text: str
    start: int
    end: int
    lemma: str
    upos: str
    head: int
    deprel: str
    ent: str = ""
    feats: str = ""


def build_parse(text: str, sentences: Iterable[Sequence[Word]]) -> Parse:
    """One Parse from sentences of words with sentence-relative heads."""
    tokens: list[Token] = []
    sents: list[Sentence] = []
    for words in _merge_punctuation_only(sentences):
        first = len(tokens)
        for w in words:
            head = None if w.head <= 0 or w.head > len(words) else first + w.head - 1
            tokens.append(
                Token(
                    i=len(tokens),
                    text=w.text,
                    start=w.start,
                    end=w.end,
                    lemma=w.lemma or w.text,
                    upos=w.upos,
                    head=head,
                    deprel=w.deprel,
                    sent=len(sents),
                    ent=w.ent,
                    feats=w.feats,
                )
            )
        sents.append(
            Sentence(
                index=len(sents),
                start=min(w.start for w in words),
                end=max(w.end for w in words),
                first=first,
                last=len(tokens),
            )
        )
    return Parse(text=text, tokens=tuple(tokens), sentences=tuple(sents))


def _merge_punctuation_only(sentences: Iterable[Sequence[Word]]) -> list[list[Word]]:
    """A "sentence" of closing marks only (a stray » after a full stop) joins the sentence
    before it, attached to that sentence's root."""
    merged: list[list[Word]] = []
    for words in sentences:
        if not words:
            continue
        if merged and all(w.upos == "PUNCT" for w in words):
            prev = merged[-1]
            root = next((k + 1 for k, w in enumerate(prev) if w.head == 0), 1)
            base = len(prev)
            for w in words:
                head = root if w.head == 0 else base + w.head
                prev.append(replace(w, head=head, deprel="punct" if w.head == 0 else w.deprel))
            continue
        merged.append(list(words))
    return merged


MAX_BLOCK_CHARS = 50_000  # parsers are quadratic somewhere; a longer line is cut at a full stop


def paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """(offset, line) for each non-blank line: a line break always ends a sentence.
    A very long line (a whole article on one line) is cut after full stops."""
    offset = 0
    for line in text.split("\n"):
        if line.strip():
            yield from _blocks(offset, line)
        offset += len(line) + 1


def _blocks(offset: int, line: str) -> Iterator[tuple[int, str]]:
    start = 0
    while len(line) - start > MAX_BLOCK_CHARS:
        cut = line.rfind(". ", start, start + MAX_BLOCK_CHARS)
        cut = cut + 2 if cut > start else start + MAX_BLOCK_CHARS
        yield offset + start, line[start:cut]
        start = cut
    if line[start:].strip():
        yield offset + start, line[start:]


def bounded(blocks: Iterable[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    """The blocks, any one longer than MAX_BLOCK_CHARS cut as `paragraphs` cuts a line:
    a parser refuses a text of a million characters, and takes hours well before that."""
    for offset, block in blocks:
        if len(block) <= MAX_BLOCK_CHARS:
            yield offset, block
        else:
            yield from _blocks(offset, block)


Blocks = Callable[[str], Iterable[tuple[int, str]]]


class Backend(Protocol):
    """Turns article texts into neutral parses, in order. `blocks` says which parts of a
    text to parse (every line by default; the cue gate gives fewer)."""

    name: str

    def parse(self, texts: Iterable[str], blocks: Blocks = ...) -> Iterator[Parse]: ...


# Entity types of the neutral parse are the four the rules read (the French models' own):
# PER, ORG, LOC, MISC. OntoNotes labels (English models) map onto them; numbers, dates
# and amounts name no one.
_ENTITY_TYPES = {
    "PERSON": "PER",
    "GPE": "LOC",
    "FAC": "LOC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
}
_NO_ENTITY = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"}


def neutral_entity(label: str) -> str:
    """A model's entity label as the neutral parse has it: "GPE" → "LOC", "DATE" → ""."""
    return "" if label in _NO_ENTITY else _ENTITY_TYPES.get(label, label)
