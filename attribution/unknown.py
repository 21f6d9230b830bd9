"""Sources the articles name that the registry does not know: where to extend it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from attribution.model import SourceKind
from attribution.pipeline import AnnotatedArticle
from attribution.registry import normalize

# Kinds that name someone the registry could hold (not "des sources", "un témoin", "il").
_NAMED = {SourceKind.OUTLET, SourceKind.ORGANIZATION, SourceKind.OFFICIAL, SourceKind.ARMED_GROUP}


@dataclass(frozen=True)
class UnknownSource:
    name: str
    kind: str
    count: int
    articles: int
    example: str


def unknown_sources(annotated: Iterable[AnnotatedArticle]) -> list[UnknownSource]:
    counts: dict[str, int] = defaultdict(int)
    articles: dict[str, set[str]] = defaultdict(set)
    shown: dict[str, tuple[str, str]] = {}
    for item in annotated:
        for a in item.attributions:
            src = a.source
            if src is None or a.outlet is not None or src.kind not in _NAMED:
                continue
            name = (src.resolved or src.span).text
            if not any(c.isupper() for c in name):
                continue  # "le ministère" names no one in particular
            key = normalize(name)
            counts[key] += 1
            articles[key].add(item.article.id)
            shown.setdefault(key, (name, src.kind.value))
    rows = [
        UnknownSource(shown[k][0], shown[k][1], n, len(articles[k]), min(articles[k]))
        for k, n in counts.items()
    ]
    return sorted(rows, key=lambda r: (-r.count, r.name.casefold()))
