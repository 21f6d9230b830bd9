"""The whole flow for a batch of articles: parse, extract, link."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from attribution.errors import AttributionError
from attribution.extract import extract
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
        return len(self.parse.sentences), len(factual), len(unattributed)

    def sentence_text(self, index: int) -> str:
        sent = self.parse.sentences[index]
        return self.parse.text[sent.start : sent.end]


class Annotator:
    """Parses with one backend per language (loaded on first use), extracts and links."""

    def __init__(self, registry: Registry, backend: str = "spacy", batch_size: int = 32) -> None:
        self.registry = registry
        self.backend_name = backend
        self.batch_size = batch_size
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
            try:
                backend = self.backend(lang)
                parses = list(backend.parse(batch[k].text for k in indexes))  # type: ignore[union-attr]
            except AttributionError as err:
                for k in indexes:
                    results[k] = AttributionError(f"{batch[k].id}: {err}")  # type: ignore[union-attr]
                continue
            for k, parse in zip(indexes, parses, strict=True):
                article = batch[k]
                assert isinstance(article, Article)
                results[k] = self.annotate_parse(article, parse, backend.name)
        for k in range(len(batch)):
            yield results[k]

    def annotate_parse(self, article: Article, parse: Parse, backend: str) -> AnnotatedArticle:
        lexicon = load_lexicon(article.lang or "fr")
        found = extract(parse, lexicon, article.id)
        return AnnotatedArticle(
            article, parse, link(found, self.registry, article), backend, self.registry.hash
        )
