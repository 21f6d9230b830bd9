"""The whole flow for a batch of articles: parse, extract, link."""

from __future__ import annotations

import bisect
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from attribution.errors import AttributionError, ModelNotInstalled
from attribution.extract import extract
from attribution.gate import GatedText, gate
from attribution.lexicon import load_lexicon
from attribution.link import link_article
from attribution.model import Article, Attribution, Parse
from attribution.nlp import Backend, get_backend
from attribution.registry import Registry


@dataclass(frozen=True)
class AnnotatedArticle:
    """An article's attributions, with what the output and the audit need of its parse:
    the sentence spans and counts. The parse itself is not kept (it is many times the
    size of the text, and nothing after extraction reads it), so a result is cheap to
    hold, to pickle to another process and to stream."""

    article: Article
    attributions: list[Attribution]
    backend: str
    registry_hash: str
    sentences: tuple[tuple[int, int], ...]  # (start, end) of each parsed sentence
    stats: tuple[int, int, int]  # see sentence_stats

    def sentence_stats(self) -> tuple[int, int, int]:
        """Sentences; those that state something (a finite verb, not a question); and
        those of them that no attribution touches (no cue or claim in them)."""
        return self.stats

    def sentence_text(self, index: int) -> str:
        start, end = self.sentences[index]
        return self.article.text[start:end]


class NeedsModel(ModelNotInstalled):
    """An article not annotated because its language's model is not installed."""

    def __init__(self, article: str, reason: str) -> None:
        super().__init__(f"{article}: {reason}")
        self.article = article
        self.reason = reason

    def __reduce__(self) -> tuple[type[NeedsModel], tuple[str, str]]:
        return (NeedsModel, (self.article, self.reason))


@dataclass(frozen=True)
class Unchanged:
    """An article the store already holds as it is now, annotated with the same registry
    and backend: it is not parsed again (the model is not even loaded for it)."""

    article: Article


Item = Article | AttributionError | Unchanged
Annotated = AnnotatedArticle | AttributionError | Unchanged


def sentence_counts(
    parse: Parse, attributions: list[Attribution], gated: GatedText | None = None
) -> tuple[int, int, int]:
    """The counts of AnnotatedArticle.sentence_stats; the sentences the cue gate kept from
    the parser count as they were judged there."""
    touched: set[int] = set()
    # sentences are in text order: those a claim overlaps are found by bisection
    starts = [s.start for s in parse.sentences]
    ends = [s.end for s in parse.sentences]
    for a in attributions:
        touched.add(a.sentence)
        first = bisect.bisect_right(ends, a.claim.start)  # the first that ends after it starts
        last = bisect.bisect_left(starts, a.claim.end)  # the first that starts at its end
        touched.update(parse.sentences[k].index for k in range(first, last))
    factual = [
        s
        for s in parse.sentences
        if not parse.text[s.start : s.end].rstrip().endswith("?")
        and any(
            t.upos in ("VERB", "AUX") and t.feat("VerbForm") == "Fin"
            for t in parse.sentence_tokens(s)
        )
    ]
    unattributed = sum(1 for s in factual if s.index not in touched)
    skipped = max(0, gated.sentences - len(parse.sentences)) if gated else 0
    skipped_statements = gated.skipped_statements if gated else 0
    return (
        len(parse.sentences) + skipped,
        len(factual) + skipped_statements,
        unattributed + skipped_statements,
    )


class Annotator:
    """Parses with one backend per language (loaded on first use), extracts and links.
    `timings` adds up the seconds spent in each step, for benchmarks."""

    def __init__(
        self, registry: Registry, backend: str = "spacy", batch_size: int = 32, gate: bool = True
    ) -> None:
        self.registry = registry
        self.backend_name = backend
        self.batch_size = batch_size
        self.gate = gate
        self.timings: defaultdict[str, float] = defaultdict(float)
        self._backends: dict[str, Backend] = {}

    def backend(self, lang: str) -> Backend:
        if lang not in self._backends:
            self._backends[lang] = get_backend(self.backend_name, lang)
        return self._backends[lang]

    def annotate(self, items: Iterable[Item]) -> Iterator[Annotated]:
        """Each article annotated, or the error that stopped it, in input order (an
        unchanged article passes through as it came)."""
        it = iter(items)
        while batch := list(islice(it, self.batch_size)):
            yield from self._batch(batch)

    def _batch(self, batch: list[Item]) -> Iterator[Annotated]:
        results: dict[int, Annotated] = {}
        by_lang: dict[str, list[int]] = {}
        for k, item in enumerate(batch):
            if not isinstance(item, Article):
                results[k] = item
            else:
                by_lang.setdefault(item.lang or "fr", []).append(k)
        for lang, indexes in by_lang.items():
            articles = [a for a in (batch[k] for k in indexes) if isinstance(a, Article)]
            clock = time.perf_counter()
            gated = [gate(a.text, load_lexicon(lang)) for a in articles] if self.gate else []
            self.timings["gate"] += time.perf_counter() - clock
            try:
                backend = self.backend(lang)
            except ModelNotInstalled as err:
                for k, a in zip(indexes, articles, strict=True):
                    results[k] = NeedsModel(a.id, str(err))
                continue
            try:
                clock = time.perf_counter()
                parses = self._parse(backend, articles, gated)
                self.timings["parse"] += time.perf_counter() - clock
            except AttributionError as err:
                for k, a in zip(indexes, articles, strict=True):
                    results[k] = AttributionError(f"{a.id}: {err}")
                continue
            for n, (k, article, parse) in enumerate(zip(indexes, articles, parses, strict=True)):
                if isinstance(parse, AttributionError):
                    results[k] = parse
                    continue
                try:
                    results[k] = self.annotate_parse(
                        article, parse, backend.name, gated[n] if gated else None
                    )
                except (RecursionError, ValueError, IndexError, KeyError) as err:
                    results[k] = AttributionError(f"{article.id}: cannot annotate: {_first(err)}")
        for k in range(len(batch)):
            yield results[k]

    def _parse(
        self, backend: Backend, articles: list[Article], gated: list[GatedText]
    ) -> list[Parse | AttributionError]:
        """The parses of the articles; when the parser fails on a batch, each article is
        parsed alone, so that one article it cannot take does not sink the others."""
        texts = [a.text for a in articles]
        try:
            if gated:
                blocks = {id(t): g.blocks for t, g in zip(texts, gated, strict=True)}
                return list(backend.parse(texts, by_text_id(blocks)))
            return list(backend.parse(texts))
        except AttributionError:
            raise
        except Exception as err:  # the parser's own error about one text (spaCy E088…)
            if len(articles) == 1:
                return [AttributionError(f"{articles[0].id}: cannot parse: {_first(err)}")]
            return [
                parse
                for k in range(len(articles))
                for parse in self._parse(backend, articles[k : k + 1], gated[k : k + 1])
            ]

    def annotate_parse(
        self, article: Article, parse: Parse, backend: str, gated: GatedText | None = None
    ) -> AnnotatedArticle:
        clock = time.perf_counter()
        found = extract(parse, load_lexicon(article.lang or "fr"), article.id)
        linked_at = time.perf_counter()
        attributions, article = link_article(found, self.registry, article)
        done = time.perf_counter()
        self.timings["extract"] += linked_at - clock
        self.timings["link"] += done - linked_at
        return AnnotatedArticle(
            article,
            attributions,
            backend,
            self.registry.hash,
            tuple((s.start, s.end) for s in parse.sentences),
            sentence_counts(parse, attributions, gated),
        )


def _first(err: BaseException) -> str:
    lines = str(err).strip().splitlines()
    return f"{type(err).__name__}: {lines[0] if lines else ''}"


def by_text_id(blocks: dict[int, list[tuple[int, str]]]) -> Callable[[str], list[tuple[int, str]]]:
    """The gated blocks of each text, found by the text object the backend is given."""
    return lambda text: blocks[id(text)]
