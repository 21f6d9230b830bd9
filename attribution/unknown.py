"""Sources the articles name that the registry does not know: where to extend it."""

from __future__ import annotations

import json
import re
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


def unknown_sources(
    annotated: Iterable[AnnotatedArticle], *, skip_ambiguous: bool = False
) -> list[UnknownSource]:
    counts: dict[str, int] = defaultdict(int)
    articles: dict[str, set[str]] = defaultdict(set)
    shown: dict[str, tuple[str, str]] = {}
    for item in annotated:
        for a in item.attributions:
            src = a.source
            if src is None or a.outlet is not None or src.kind not in _NAMED:
                continue
            if skip_ambiguous and (a.outlet_match or "").startswith("ambiguous"):
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


@dataclass(frozen=True)
class Coverage:
    """How many outlet-like sources of a corpus the registry links, leaves ambiguous or
    does not know, and the unknown names with a registry stub each."""

    linked: int
    ambiguous: int
    unknown: int
    names: list[UnknownSource]

    @property
    def total(self) -> int:
        return self.linked + self.ambiguous + self.unknown

    def share(self, part: int) -> float:
        return round(part / self.total, 3) if self.total else 0.0


# What an outlet can be cited as: officials are mostly people in office ("le ministre X").
_OUTLET_LIKE = {"outlet", "organization", "armed_group"}
_STUB_TYPE = {
    "outlet": "newspaper",
    "organization": "ngo",
    "official": "government",
    "armed_group": "armed_group",
}
_LEADING = re.compile(r"^(?:les|le|la|l['’]|the)\s*", re.IGNORECASE)


def coverage(annotated: Iterable[AnnotatedArticle]) -> Coverage:
    """Outlet-like sources: those linked to an outlet, and named sources of the kinds an
    outlet can be (a capital letter: "le ministère" names no one in particular)."""
    items = list(annotated)
    linked = ambiguous = 0
    for item in items:
        for a in item.attributions:
            src = a.source
            if src is None:
                continue
            if a.outlet is not None:
                linked += 1
            elif (a.outlet_match or "").startswith("ambiguous") and src.kind in _NAMED:
                ambiguous += 1
    names = [u for u in unknown_sources(items, skip_ambiguous=True) if u.kind in _OUTLET_LIKE]
    return Coverage(linked, ambiguous, sum(u.count for u in names), names)


def stub(row: UnknownSource) -> str:
    """A registry entry to complete for an unknown source."""
    name = _LEADING.sub("", row.name.strip())
    slug = "-".join(normalize(name).split()) or "outlet"
    kind = _STUB_TYPE.get(row.kind, "newspaper")
    return (
        f"- id: {slug}\n"
        f"  name: {json.dumps(name, ensure_ascii=False)}\n"
        f"  aliases: [{{text: {json.dumps(row.name, ensure_ascii=False)}, lang: fr}}]\n"
        f"  type: {kind}  # check: cited {row.count} times as {row.kind}\n"
        f"  country: null\n"
        f"  refs: []\n"
    )
