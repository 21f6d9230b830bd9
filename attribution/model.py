"""The vocabulary of the whole program: articles, the neutral parse, and attributions.

Every span is a pair of character offsets into `Article.text` (end exclusive), so any
value can be traced back to the exact characters a reader sees. The output gives them as
offsets into the article as the user gave it (`Article.original`): see `Article.given_span`.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property


@dataclass(frozen=True)
class Article:
    """One news article as read from disk, with what its file says about it."""

    id: str
    text: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    publisher: str | None = None
    site_name: str | None = None
    lang: str | None = None
    path: str | None = None
    encoding: str = "utf-8"  # what the file was read as, when it was not UTF-8
    # The article as the user gave it (the decoded file, or the JSONL `text`), when `text`
    # is not all of it: a header taken as metadata, CR LF line ends made LF. `text` starts
    # at `origin` in it, once its line ends are LF.
    given: str | None = None
    origin: int = 0

    @property
    def original(self) -> str:
        """The article as the user gave it: what output offsets index."""
        return self.text if self.given is None else self.given

    @cached_property
    def content_hash(self) -> str:
        return hashlib.sha256(self.original.encode("utf-8")).hexdigest()

    @cached_property
    def _line_end_crs(self) -> tuple[int, ...]:
        """Where, in the given text with LF line ends, a CR was taken out before an LF."""
        if self.given is None or "\r\n" not in self.given:
            return ()
        return tuple(m.start() - n for n, m in enumerate(re.finditer("\r\n", self.given)))

    def given_span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets into `text` as offsets into `original`."""
        if self.given is None:
            return start, end
        crs = self._line_end_crs
        a, b = self.origin + start, self.origin + end
        return a + bisect.bisect_right(crs, a), b + bisect.bisect_left(crs, b)


@dataclass(frozen=True, slots=True)
class Token:
    """A syntactic word. Multi-word tokens ("au" = "à le") give several words sharing
    the span of their surface form."""

    i: int
    text: str
    start: int
    end: int
    lemma: str
    upos: str
    head: int | None  # document-wide index of the head word; None for a sentence root
    deprel: str
    sent: int
    ent: str = ""  # named-entity label ("PER", "ORG", "LOC", "MISC"…) or ""
    feats: str = ""  # UD morphological features, "Mood=Ind|Tense=Past"

    def feat(self, name: str) -> str | None:
        for pair in self.feats.split("|"):
            key, _, value = pair.partition("=")
            if key == name:
                return value
        return None

    @property
    def rel(self) -> str:
        """The universal part of the relation ("obl" for "obl:mod")."""
        return self.deprel.split(":", 1)[0]


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int
    first: int  # index of its first token
    last: int  # index one past its last token


@dataclass(frozen=True)
class Parse:
    """Sentences and UD tokens of one text: what every backend produces."""

    text: str
    tokens: tuple[Token, ...]
    sentences: tuple[Sentence, ...]

    @cached_property
    def _children(self) -> tuple[tuple[int, ...], ...]:
        kids: list[list[int]] = [[] for _ in self.tokens]
        for tok in self.tokens:
            if tok.head is not None:
                kids[tok.head].append(tok.i)
        return tuple(tuple(k) for k in kids)

    def children(self, i: int) -> Iterator[Token]:
        return (self.tokens[k] for k in self._children[i])

    def head(self, tok: Token) -> Token | None:
        return None if tok.head is None else self.tokens[tok.head]

    def ancestors(self, tok: Token) -> Iterator[Token]:
        seen = {tok.i}
        cur = self.head(tok)
        while cur is not None and cur.i not in seen:
            seen.add(cur.i)
            yield cur
            cur = self.head(cur)

    def subtree(self, tok: Token) -> list[Token]:
        """The token and everything it governs, in text order."""
        out: list[int] = []
        stack = [tok.i]
        seen: set[int] = set()
        while stack:
            k = stack.pop()
            if k in seen:
                continue
            seen.add(k)
            out.append(k)
            stack.extend(self._children[k])
        return [self.tokens[k] for k in sorted(out)]

    def sentence_tokens(self, sent: Sentence) -> Sequence[Token]:
        return self.tokens[sent.first : sent.last]


class CueType(StrEnum):
    PREPOSITION = "preposition"  # selon X, d'après X, according to X
    VERB = "verb"  # X a déclaré que…, « … », a affirmé X
    PARTICIPLE = "participle"  # Indiquant que…, X a…
    NOMINAL = "nominal"  # l'annonce par X de…
    RELAY = "relay"  # a source relayed by an outlet (citant X, cité par X): see `via`
    QUOTE = "quote"  # a quotation whose speaker is found nearby
    HEARSAY = "hearsay"  # il est question que…, sur les réseaux sociaux…


class SourceKind(StrEnum):
    OUTLET = "outlet"
    OFFICIAL = "official"
    ORGANIZATION = "organization"
    PERSON = "person"
    ARMED_GROUP = "armed_group"
    ANONYMOUS = "anonymous"
    WITNESS = "witness"
    DOCUMENT = "document"
    SOCIAL_MEDIA = "social_media"
    PUBLISHER_SELF = "publisher_self"
    UNNAMED = "unnamed"


# Sources that name no one: across articles they are not an origin of their own (the
# outlet that relays them, else the publisher, vouches for them).
UNNAMED_KINDS = frozenset(
    {SourceKind.ANONYMOUS, SourceKind.WITNESS, SourceKind.UNNAMED, SourceKind.SOCIAL_MEDIA}
)


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Cue:
    span: Span
    type: CueType
    lemma: str


@dataclass(frozen=True, slots=True)
class Mention:
    """A source as the article names it."""

    span: Span
    kind: SourceKind
    resolved: Span | None = None  # the antecedent of a pronoun or demonstrative
    description: Span | None = None  # the article's own words about the source


@dataclass(frozen=True)
class Attribution:
    """One claim the article attributes to a source."""

    article: str
    sentence: int
    cue: Cue
    claim: Span
    source: Mention | None
    via: Mention | None = None
    direct_quote: bool = False
    confidence: float = 0.5
    outlet: str | None = None  # registry id, set by linking
    via_outlet: str | None = None  # registry id of the relaying outlet, set by linking
    outlet_match: str | None = None  # how the outlet link was made (Match.how), or null
    notes: tuple[str, ...] = field(default=())

    @property
    def id(self) -> str:
        """Stable across re-annotation: does not depend on offsets elsewhere in the text."""
        src = self.source.span.text if self.source else ""
        key = "\x1f".join((self.article, self.cue.span.text, src, self.claim.text))
        return hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()
