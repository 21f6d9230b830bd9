"""The whole flow for a batch of articles: parse, extract, link."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import islice

from attribution.errors import AttributionError
from attribution.extract import extract
from attribution.gate import gate
from attribution.lexicon import load_lexicon
from attribution.link import link
from attribution.model import Article, Attribution, Parse
from attribution.nlp import Backend, get_backend
from attribution.registry import Registry


@dataclass(frozen=True)
class AnnotatedArticle:
    article: Article
    parse: Parse
    attributions: list[Attribution]
    backend: str
    registry_hash: str
    skipped_sentences: int = 0  # sentences the cue gate kept from the parser
    skipped_statements: int = 0  # of which statements (not questions, 4 words or more)

    def sentence_stats(self) -> tuple[int, int, int]:
        """Sentences; those that state something (a finite verb, not a question); and
        those of them that no attribution touches (no cue or claim in them)."""
        touched: set[int] = set()
        for a in self.attributions:
            touched.add(a.sentence)
            for sent in self.parse.sentences:
                if sent.start < a.claim.end and a.claim.start < sent.end:
                    touched.add(sent.index)
        factual = [
            s
            for s in self.parse.sentences
            if not self.parse.text[s.start : s.end].rstrip().endswith("?")
            and any(
                t.upos in ("VERB", "AUX") and t.feat("VerbForm") == "Fin"
                for t in self.parse.sentence_tokens(s)
            )
        ]
        unattributed = [s for s in factual if s.index not in touched]
        return (
            len(self.parse.sentences) + self.skipped_sentences,
            len(factual) + self.skipped_statements,
            len(unattributed) + self.skipped_statements,
        )

    def sentence_text(self, index: int) -> str:
        sent = self.parse.sentences[index]
        return self.parse.text[sent.start : sent.end]


class Annotator:
    """Parses with one backend per language (loaded on first use), extracts and links."""

    def __init__(
        self, registry: Registry, backend: str = "spacy", batch_size: int = 32, gate: bool = True
    ) -> None:
        self.registry = registry
        self.backend_name = backend
        self.batch_size = batch_size
        self.gate = gate
        self._backends: dict[str, Backend] = {}

    def backend(self, lang: str) -> Backend:
        if lang not in self._backends:
            self._backends[lang] = get_backend(self.backend_name, lang)
        return self._backends[lang]

    def annotate(
        self, items: Iterable[Article | AttributionError]
    ) -> Iterator[AnnotatedArticle | AttributionError]:
        """Each article annotated, or the error that stopped it, in input order."""
        it = iter(items)
        while batch := list(islice(it, self.batch_size)):
            yield from self._batch(batch)

    def _batch(
        self, batch: list[Article | AttributionError]
    ) -> Iterator[AnnotatedArticle | AttributionError]:
        results: dict[int, AnnotatedArticle | AttributionError] = {}
        by_lang: dict[str, list[int]] = {}
        for k, item in enumerate(batch):
            if isinstance(item, AttributionError):
                results[k] = item
            else:
                by_lang.setdefault(item.lang or "fr", []).append(k)
        for lang, indexes in by_lang.items():
            articles = [a for a in (batch[k] for k in indexes) if isinstance(a, Article)]
            gated = [gate(a.text, load_lexicon(lang)) for a in articles] if self.gate else []
            try:
                backend = self.backend(lang)
                texts = [a.text for a in articles]
                if gated:
                    blocks = {id(t): g.blocks for t, g in zip(texts, gated, strict=True)}
                    parses = list(backend.parse(texts, by_text_id(blocks)))
                else:
                    parses = list(backend.parse(texts))
            except AttributionError as err:
                for k, a in zip(indexes, articles, strict=True):
                    results[k] = AttributionError(f"{a.id}: {err}")
                continue
            for n, (k, article, parse) in enumerate(zip(indexes, articles, parses, strict=True)):
                annotated = self.annotate_parse(article, parse, backend.name)
                if gated:
                    g = gated[n]
                    annotated = replace(
                        annotated,
                        skipped_sentences=max(0, g.sentences - len(parse.sentences)),
                        skipped_statements=g.skipped_statements,
                    )
                results[k] = annotated
        for k in range(len(batch)):
            yield results[k]

    def annotate_parse(self, article: Article, parse: Parse, backend: str) -> AnnotatedArticle:
        lexicon = load_lexicon(article.lang or "fr")
        found = extract(parse, lexicon, article.id)
        return AnnotatedArticle(
            article, parse, link(found, self.registry, article), backend, self.registry.hash
        )


def by_text_id(blocks: dict[int, list[tuple[int, str]]]) -> Callable[[str], list[tuple[int, str]]]:
    """The gated blocks of each text, found by the text object the backend is given."""
    return lambda text: blocks[id(text)]
