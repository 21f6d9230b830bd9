"""Claim corroboration: which claims, across articles, report the same fact, and how many
independent origins stand behind them.

Two claims report the same fact when
- their wording is close: the cosine of their TF-IDF vectors (words and word pairs of the
  normalised claims: lower case, no accents, "1 500" / "1.500" / "1,500" read as 1500,
  number words up to twenty as digits, function words left out) is at least
  `SIMILARITY_THRESHOLD`; words found in more than `COMMON_SHARE` of the claims (and more
  than `COMMON_MIN` claims) are left out too, as they say what a corpus is about rather
  than which fact a claim states;
- their numbers agree: the numbers of one are all among the numbers of the other (a claim
  may give more detail, never other figures: "12 morts" and "15 morts" are two facts);
- they come from different articles, and each has at least `MIN_WORDS` words that are not
  function words (a short claim such as "ce bilan est provisoire" fits any story).
Claims linked this way, directly or through others, form a cluster, the closest pairs
first, so long as the numbers of every two claims in it agree (a claim without numbers
does not join "12 morts" and "15 morts" into one cluster).

A report's origin is where the claim comes from as far as the article lets one see: the
named source (an outlet, an official, an organisation, a person); for an anonymous,
unnamed or social-media source, the outlet that relays it (`via`) or else the publisher
itself, which vouches for it; for a self-citation, the publisher. Outlets with an owner in
common (registry ownership) are one origin. Rejected attributions do not count (the
caller passes `audit.kept_claims`).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd
import yaml

from attribution.audit import _owners, kept_claims
from attribution.export import claims_frame
from attribution.model import UNNAMED_KINDS
from attribution.registry import Registry, normalize
from attribution.store import Store

SIMILARITY_THRESHOLD = 0.5
COMMON_SHARE = 0.01
COMMON_MIN = 200
MIN_WORDS = 3
CHUNK = 2000  # claims compared with all the others at once (memory: CHUNK x claims, sparse)

_WORDS: dict[str, Any] = yaml.safe_load(
    resources.files("attribution").joinpath("data/corroboration.yaml").read_text("utf-8")
)
_NUMBER_WORDS: dict[str, str] = {k: str(v) for k, v in _WORDS["number_words"].items()}
_STOP_WORDS = frozenset(_WORDS["stop_words"].split())
# thousands separators: a space (also no-break), a dot, a comma or an apostrophe before
# exactly three digits
_THOUSANDS = re.compile(r"(?<=\d)[\s\u00a0\u202f.,'’](?=\d{3}(?!\d))")
_DECIMAL = re.compile(r"(?<=\d),(?=\d)")
_TOKEN = re.compile(r"[a-z0-9]+(?:[.-][a-z0-9]+)*")
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
_ACCENTS = re.compile(r"[\u0300-\u036f]")  # combining marks, once letters are decomposed
_ACRONYM = re.compile(r"\b[A-Z]{3,}\b")


def normalize_claim(text: str) -> str:
    """Lower case, no accents, numbers written one way, number words as digits."""
    text = _ACCENTS.sub("", unicodedata.normalize("NFKD", text)).lower()
    text = _DECIMAL.sub(".", _THOUSANDS.sub("", text))
    return " ".join(_NUMBER_WORDS.get(t, t) for t in _TOKEN.findall(text))


def numbers(normalized: str) -> frozenset[str]:
    return frozenset(t for t in normalized.split() if _NUMBER.match(t))


def numbers_agree(a: frozenset[str], b: frozenset[str]) -> bool:
    return a <= b or b <= a


@dataclass(frozen=True)
class Report:
    """One claim in one article, and where it comes from."""

    article: str
    attribution_id: str
    claim: str
    source: str  # who the article attributes it to, as written (or the relay's name)
    publisher: str  # the publisher's name
    origin: str  # the origin's key: an ownership group, or a normalised name
    origin_label: str
    date: str | None
    # the chain of ownership groups the article cites: publisher, relay, source outlet
    chain: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cluster:
    reports: tuple[Report, ...]
    origins: dict[str, str]  # key -> label
    flags: tuple[str, ...] = ()

    @property
    def articles(self) -> list[str]:
        return list(dict.fromkeys(r.article for r in self.reports))

    @property
    def sources(self) -> list[str]:
        return list(dict.fromkeys(r.source for r in self.reports))

    def as_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "claims": [asdict(r) for r in self.reports],
            "sources": self.sources,
            "independent_origins": list(self.origins.values()),
            "flags": list(self.flags),
        }


@dataclass
class _Origins:
    """Keys and labels of publishers and sources, through the registry, cached."""

    registry: Registry
    group: dict[str, str] = field(default_factory=dict)  # outlet id -> ownership group
    publishers: dict[str, str | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.group = ownership_groups(self.registry)

    def outlet_key(self, outlet: str) -> str:
        return self.group.get(outlet, outlet)

    def publisher_outlet(self, publisher: str) -> str | None:
        if publisher not in self.publishers:
            self.publishers[publisher] = self.registry.outlet_of(publisher)
        return self.publishers[publisher]

    def label(self, outlet: str) -> str:
        o = self.registry.outlets.get(outlet)
        return o.name if o else outlet

    def name_key(self, name: str) -> str:
        """A named source's key: its acronym where it has one ("l'USGS", "l'institut
        américain de géophysique USGS"), else its name without case and accents."""
        acronym = _ACRONYM.search(name)
        return "name:" + normalize(acronym.group(0) if acronym else name)


def ownership_groups(registry: Registry) -> dict[str, str]:
    """Each outlet's ownership group: outlets linked by an owner in common, directly or
    through others, named by their smallest id."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for o in registry.outlets.values():
        for owner in _owners(o):
            a, b = find(o.id), find("owner:" + owner)
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[str, list[str]] = {}
    for outlet in registry.outlets:
        groups.setdefault(find(outlet), []).append(outlet)
    return {o: min(members) for members in groups.values() for o in members}


def reports(claims: pd.DataFrame, registry: Registry) -> list[Report]:
    """Each claim's report: its publisher, its source and its origin."""
    keys = _Origins(registry)
    out = []
    columns = ("article", "attribution_id", "claim", "claimant", "source_kind")
    rest = ("outlet", "via", "publisher", "date_published")
    for article, aid, claim, claimant, kind, outlet, via, publisher, date in zip(
        *(claims[c] for c in (*columns, *rest)), strict=True
    ):
        publisher = publisher if isinstance(publisher, str) and publisher else str(article)
        pub_outlet = keys.publisher_outlet(publisher)
        pub_key = keys.outlet_key(pub_outlet) if pub_outlet else keys.name_key(publisher)
        pub_label = keys.label(pub_outlet) if pub_outlet else publisher
        outlet = outlet if isinstance(outlet, str) and outlet else None
        via = via if isinstance(via, str) and via else None
        named = claimant if isinstance(claimant, str) and claimant else None
        if kind == "publisher_self":
            outlet = outlet or pub_outlet
        chain = [pub_key]
        if via:
            chain.append(keys.outlet_key(via))
        if outlet:
            chain.append(keys.outlet_key(outlet))
        if kind == "publisher_self" and not outlet:
            origin, label = pub_key, pub_label
        elif outlet:
            origin, label = keys.outlet_key(outlet), keys.label(outlet)
        elif named and kind not in UNNAMED_KINDS:
            origin, label = keys.name_key(named), named
        elif via:
            origin, label = keys.outlet_key(via), keys.label(via)
        else:
            origin, label = pub_key, pub_label
        source = named or (keys.label(via) if via else "(no source)")
        out.append(
            Report(
                article=str(article),
                attribution_id=str(aid),
                claim=str(claim),
                source=source,
                publisher=pub_label,
                origin=origin,
                origin_label=label,
                date=date if isinstance(date, str) and date else None,
                chain=tuple(chain),
            )
        )
    return out


def same_facts(
    texts: Sequence[str], articles: Sequence[str], threshold: float = SIMILARITY_THRESHOLD
) -> list[list[int]]:
    """The claims (by index) that report one fact, in groups (see the module's doc)."""
    pairs, nums = similar_pairs(texts, articles, threshold)
    parent = list(range(len(texts)))
    held: dict[int, set[frozenset[str]]] = {}  # each group's distinct sets of numbers

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for i, j, _ in sorted(pairs, key=lambda p: -p[2]):  # the closest first
        a, b = root(i), root(j)
        if a == b:
            continue
        mine, theirs = held.pop(a, {nums[a]}), held.pop(b, {nums[b]})
        if all(numbers_agree(x, y) for x in mine for y in theirs):
            parent[b] = a
            held[a] = mine | theirs
        else:
            held[a], held[b] = mine, theirs
    groups: dict[int, list[int]] = {}
    for k in sorted({k for i, j, _ in pairs for k in (i, j)}):
        groups.setdefault(root(k), []).append(k)
    return [g for g in groups.values() if len(g) > 1]


def similar_pairs(
    texts: Sequence[str], articles: Sequence[str], threshold: float = SIMILARITY_THRESHOLD
) -> tuple[list[tuple[int, int, float]], list[frozenset[str]]]:
    """(i, j, cosine) of the claims whose wording is close and whose numbers agree, and
    each claim's numbers."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    n = len(texts)
    normalized = [normalize_claim(t) for t in texts]
    nums = [numbers(t) for t in normalized]
    if n < 2 or not any(normalized):
        return [], nums
    vectorizer = TfidfVectorizer(
        token_pattern=r"\S+",
        ngram_range=(1, 2),
        stop_words=sorted(_STOP_WORDS),
        sublinear_tf=True,
        max_df=max(COMMON_MIN, int(COMMON_SHARE * n)) if n > COMMON_MIN else 1.0,
        dtype=np.float32,
    )
    try:
        matrix = vectorizer.fit_transform(normalized).tocsr()
    except ValueError:  # nothing left once function words are gone
        return [], nums
    transposed = matrix.T.tocsr()  # CSR by CSR: no conversion for each block
    counted = np.array([bool(x) for x in nums])
    short = np.array([sum(w not in _STOP_WORDS for w in t.split()) < MIN_WORDS for t in normalized])
    article_codes = pd.factorize(pd.Series(articles))[0]
    pairs: list[tuple[int, int, float]] = []
    for start in range(0, n, CHUNK):
        block = (matrix[start : start + CHUNK] @ transposed).tocoo()
        rows = block.row + start
        keep = (block.col > rows) & (block.data >= threshold - 1e-6)
        keep &= article_codes[rows] != article_codes[block.col]
        keep &= ~short[rows] & ~short[block.col]
        i, j, s = rows[keep], block.col[keep], block.data[keep]
        both = counted[i] & counted[j]  # only then can numbers disagree
        pairs += zip(i[~both].tolist(), j[~both].tolist(), s[~both].tolist(), strict=True)
        pairs += [
            (a, b, c)
            for a, b, c in zip(i[both].tolist(), j[both].tolist(), s[both].tolist(), strict=True)
            if numbers_agree(nums[a], nums[b])
        ]
    return pairs, nums


def store_clusters(
    store: Store, registry: Registry, threshold: float = SIMILARITY_THRESHOLD
) -> list[Cluster]:
    """The clusters of a store's claims as they are now (rejected ones left out)."""
    return corroborate(kept_claims(claims_frame(store, registry)), registry, threshold)


def corroborate(
    claims: pd.DataFrame, registry: Registry, threshold: float = SIMILARITY_THRESHOLD
) -> list[Cluster]:
    """Clusters of claims reporting the same fact in two articles or more, largest first,
    each with its independent origins and flags."""
    if claims.empty:
        return []
    found = reports(claims, registry)
    groups = same_facts([r.claim for r in found], [r.article for r in found], threshold)
    clusters = [_cluster([found[k] for k in ks], registry) for ks in groups]
    return sorted(clusters, key=lambda c: (-len(c.articles), c.reports[0].article))


def _cluster(group: list[Report], registry: Registry) -> Cluster:
    group.sort(key=lambda r: (r.date or "", r.article))
    origins: dict[str, str] = {}
    for r in group:
        origins.setdefault(r.origin, r.origin_label)
    return Cluster(tuple(group), origins, tuple(_flags(group, origins, registry)))


def _flags(group: list[Report], origins: dict[str, str], registry: Registry) -> Iterable[str]:
    if len(origins) == 1:
        yield f"single origin: every report traces back to {next(iter(origins.values()))}"
    loop = circular(group)
    if loop:
        yield "circular reporting: " + " → ".join(_label(k, origins, registry) for k in loop)
    outlets = [registry.outlets.get(k) for k in origins]
    known = [o for o in outlets if o is not None]
    if known and len(known) == len(outlets):
        if all(o.state_affiliated for o in known):
            yield "only state-affiliated origins"
        axes = {o.alignment.axis if o.alignment else None for o in known}
        if len(known) >= 2 and len(axes) == 1 and None not in axes:
            yield f"every origin has one alignment: {next(iter(axes))}"


def _label(key: str, origins: dict[str, str], registry: Registry) -> str:
    if key in registry.outlets:
        return registry.outlets[key].name
    return origins.get(key, key.removeprefix("name:"))


def circular(group: Iterable[Report]) -> tuple[str, ...]:
    """A citation loop among the reports, as the keys along it (the first one again at the
    end), or (): A cites B which cites A, or an outlet cites a relay of its own story."""
    import networkx as nx

    # self-citation (a publisher citing itself) is no loop
    edges = {(a, b) for r in group for a, b in itertools.pairwise(r.chain) if a != b}
    citing, cited = {a for a, _ in edges}, {b for _, b in edges}
    if len(citing & cited) < 2:
        return ()  # a loop needs two keys that cite and are cited: the common case, quickly
    graph: Any = nx.DiGraph(sorted(edges))
    try:
        keys = [a for a, _ in nx.find_cycle(graph)]
    except nx.NetworkXNoCycle:
        return ()
    first = keys.index(min(keys))  # told the same way each time
    return (*keys[first:], *keys[:first], keys[first])


def also_reported(clusters: Sequence[Cluster], article_id: str, attribution_id: str) -> str | None:
    """'also reported by X, Y (N independent origins)' for a claim that other articles
    report too, else None."""
    for cluster in clusters:
        if any(
            r.article == article_id and r.attribution_id == attribution_id for r in cluster.reports
        ):
            others = list(
                dict.fromkeys(r.publisher for r in cluster.reports if r.article != article_id)
            )
            if not others:
                return None
            n = len(cluster.origins)
            return (
                f"also reported by {', '.join(others)} "
                f"({n} independent origin{'s' if n != 1 else ''})"
            )
    return None
