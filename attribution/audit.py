"""The outlet-mix audit: who an article (a publisher, a corpus) lets speak, and how much.

Built on the claims table (`export.claims_frame`); rejected attributions do not count.
A relayed source counts under the outlet that relays it, so that three claims "citées
par le journal X" make one outlet, not three sources: that is the independence count.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from typing import IO, Any

import pandas as pd

from attribution.registry import Registry, normalize

ANONYMOUS_SHARE_FLAG = 0.5
DOMINANT_SHARE_FLAG = 0.5
STATE_SHARE_FLAG = 0.5
LOW_RELIABILITY_SHARE_FLAG = 0.5


@dataclass
class AuditRow:
    scope: str  # "article", "publisher" or "corpus"
    name: str
    articles: int
    attributions: int
    sentences: int
    factual_sentences: int
    unattributed_share: float | None
    kinds: dict[str, int]
    anonymous_share: float | None
    self_citation_share: float | None
    outlets: int
    independent_outlets: int
    hhi: float | None
    outlet_types: dict[str, int]
    outlet_countries: dict[str, int]
    outlet_alignments: dict[str, int]
    outlet_reliability: dict[str, int]
    state_affiliated_share: float | None
    unknown_sources: list[str]
    flags: list[str] = field(default_factory=list)
    low_reliability_share: float | None = None

    def flat(self) -> dict[str, Any]:
        """One CSV row: counts as "key=n; key=n", lists joined."""

        def pairs(d: dict[str, int]) -> str:
            return "; ".join(f"{k}={v}" for k, v in sorted(d.items(), key=lambda kv: -kv[1]))

        row = {k: v for k, v in self.__dict__.items() if not isinstance(v, dict | list)}
        for name in (
            "kinds",
            "outlet_types",
            "outlet_countries",
            "outlet_alignments",
            "outlet_reliability",
        ):
            row[name] = pairs(getattr(self, name))
        row["unknown_sources"] = " | ".join(self.unknown_sources)
        row["flags"] = " | ".join(self.flags)
        return row


def audit(
    claims: pd.DataFrame, articles: list[dict[str, Any]], registry: Registry
) -> list[AuditRow]:
    """Rows for each article, each publisher and the whole corpus."""
    kept = kept_claims(claims)
    by_article = dict(iter(kept.groupby("article", sort=False))) if not kept.empty else {}
    empty = kept.iloc[0:0]
    rows = [
        _row("article", a["id"], by_article.get(a["id"], empty), [a], registry) for a in articles
    ]
    publishers: dict[str, list[dict[str, Any]]] = {}
    for a in articles:
        if a["publisher"]:
            publishers.setdefault(a["publisher"], []).append(a)
    for name, group in sorted(publishers.items()):
        ids = {a["id"] for a in group}
        part = kept[kept["article"].isin(ids)] if not kept.empty else kept
        rows.append(_row("publisher", name, part, group, registry))
    rows.append(_row("corpus", "all articles", kept, articles, registry))
    return rows


def kept_claims(claims: pd.DataFrame) -> pd.DataFrame:
    """The claims an audit counts: all but the rejected ones."""
    return claims[claims["review_status"] != "rejected"] if not claims.empty else claims


def outlet_mix(claims: pd.DataFrame) -> Counter[str]:
    """Claims behind each outlet: the relaying outlet if any, else the source's own."""
    if claims.empty:
        return Counter()
    return Counter(
        v if isinstance(v, str) else o
        for o, v in zip(claims["outlet"], claims["via"], strict=True)
        if isinstance(v, str) or isinstance(o, str)
    )


def own_outlets(publisher: object, registry: Registry) -> frozenset[str]:
    """The publisher's outlet and its owners' other outlets: none of them confirms the
    publisher independently."""
    if not isinstance(publisher, str) or not publisher:
        return frozenset()
    pid = publisher if publisher in registry.outlets else registry.matcher.match(publisher).outlet
    if pid is None:
        return frozenset()
    owners = _owners(registry.outlets[pid])
    if not owners:
        return frozenset({pid})
    return frozenset({pid} | {o.id for o in registry.outlets.values() if _owners(o) & owners})


def _owners(outlet: Any) -> set[str]:
    return {normalize(r.owner or r.name or "") for r in outlet.ownership} - {""}


def independent_mix(claims: pd.DataFrame, registry: Registry) -> Counter[str]:
    """The outlet mix without the outlets of each claim's own publisher."""
    if claims.empty:
        return Counter()
    mine: dict[object, frozenset[str]] = {}
    out: Counter[str] = Counter()
    publishers = claims["publisher"] if "publisher" in claims else [None] * len(claims)
    for o, v, p in zip(claims["outlet"], claims["via"], publishers, strict=True):
        root = v if isinstance(v, str) else o
        if not isinstance(root, str):
            continue
        if p not in mine:
            mine[p] = own_outlets(p, registry)
        if root not in mine[p]:
            out[root] += 1
    return out


def _row(
    scope: str, name: str, claims: pd.DataFrame, articles: list[dict[str, Any]], registry: Registry
) -> AuditRow:
    n = len(claims)
    sentences = sum(a["sentences"] for a in articles)
    factual = sum(a["factual_sentences"] for a in articles)
    unattributed = sum(a["unattributed_sentences"] for a in articles)
    kinds = Counter(claims["source_kind"]) if n else Counter()
    counts = outlet_mix(claims)
    outlets_cited = {o for o in claims["outlet"] if isinstance(o, str)} if n else set()
    outlets_all = outlets_cited | set(counts)
    total = sum(counts.values())
    hhi = sum((c / total) ** 2 for c in counts.values()) if total else None
    known = [registry.outlets[o] for o in outlets_all if o in registry.outlets]
    types: Counter[str] = Counter(o.type for o in known)
    countries = Counter(o.country or "?" for o in known)
    alignments = Counter(o.alignment.axis for o in known if o.alignment)
    reliability: Counter[str] = Counter(o.reliability.level for o in known)
    state = sum(counts[o.id] for o in known if o.state_affiliated and o.id in counts)
    low = sum(counts[o.id] for o in known if o.reliability.level == "low" and o.id in counts)
    independent = independent_mix(claims, registry) if n else Counter()
    named = (
        claims[claims["source_kind"].isin(["outlet", "organization", "armed_group"])]
        if n
        else claims
    )
    unknown = sorted(
        {
            str(s)
            for s, o in zip(named["claimant"], named["outlet"], strict=True)
            if not isinstance(o, str) and isinstance(s, str) and _names_someone(s)
        }
    )
    row = AuditRow(
        scope=scope,
        name=name,
        articles=len(articles),
        attributions=n,
        sentences=sentences,
        factual_sentences=factual,
        unattributed_share=round(unattributed / factual, 3) if factual else None,
        kinds=dict(kinds),
        anonymous_share=round(kinds.get("anonymous", 0) / n, 3) if n else None,
        self_citation_share=round(kinds.get("publisher_self", 0) / n, 3) if n else None,
        outlets=len(outlets_all),
        independent_outlets=len(independent),
        hhi=round(hhi, 3) if hhi is not None else None,
        outlet_types=dict(types),
        outlet_countries=dict(countries),
        outlet_alignments=dict(alignments),
        outlet_reliability=dict(reliability),
        low_reliability_share=round(low / total, 3) if total else None,
        state_affiliated_share=round(state / total, 3) if total else None,
        unknown_sources=unknown,
    )
    row.flags = _flags(row, claims)
    return row


def _names_someone(mention: str) -> bool:
    """ "le collectif Ultras Seine 92" names someone; "Le ministère" does not."""
    return any(w[:1].isupper() for w in mention.split()[1:]) or mention.isupper()


def _flags(row: AuditRow, claims: pd.DataFrame) -> list[str]:
    flags = []
    n = row.attributions
    if n == 0:
        if row.factual_sentences:
            flags.append("no attributed claim: every statement is the article's own")
        return flags
    if (
        row.outlets >= 2
        and len(row.outlet_alignments) == 1
        and sum(row.outlet_alignments.values()) == row.outlets
    ):
        flags.append(f"all cited outlets share one alignment: {next(iter(row.outlet_alignments))}")
    sources = Counter(s for s in claims["claimant"] if isinstance(s, str))
    if n >= 3 and sources:
        top, count = sources.most_common(1)[0]
        if count / n > DOMINANT_SHARE_FLAG:
            flags.append(f"one source carries more than half of the claims: {top} ({count}/{n})")
    backed = sum(outlet_mix(claims).values())
    if backed >= 2 and row.independent_outlets <= 1:
        flags.append(
            "no independent confirmation: every outlet-backed claim goes back to one outlet"
        )
    if row.anonymous_share is not None and row.anonymous_share > ANONYMOUS_SHARE_FLAG:
        flags.append(f"{row.anonymous_share:.0%} of the claims rest on anonymous sources")
    if row.state_affiliated_share is not None and row.state_affiliated_share > STATE_SHARE_FLAG:
        share = f"{row.state_affiliated_share:.0%}"
        flags.append(f"{share} of outlet-backed claims come from state-affiliated outlets")
    low = row.low_reliability_share
    if low is not None and low > LOW_RELIABILITY_SHARE_FLAG:
        flags.append(f"{low:.0%} of outlet-backed claims come from low-reliability outlets")
    if row.unknown_sources:
        flags.append(f"source not in the registry: {', '.join(row.unknown_sources[:5])}")
    return flags


def plot_outlet_mix(
    claims: pd.DataFrame,
    path: str | IO[bytes],
    registry: Registry | None = None,
    title: str = "Corpus",
    format: str | None = None,
) -> None:
    """Draw `outlet_mix_figure` to a file (its format from its name unless given)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if format is None and isinstance(path, str):
        # the format given, so that a name without an extension is not given one
        format = os.path.splitext(path)[1].lstrip(".").lower() or "png"
    with matplotlib.rc_context({"svg.fonttype": "none"}):  # SVG text stays text
        fig = outlet_mix_figure(claims, registry, title)
        try:
            fig.savefig(path, dpi=100, format=format or "png")
        finally:
            plt.close(fig)


def outlet_mix_figure(
    claims: pd.DataFrame, registry: Registry | None = None, title: str = "Corpus"
) -> Any:
    """Two bar charts: the claims behind each outlet, by name (relays count for the relay),
    and the claims by source kind; titled with what they show, counts in whole numbers."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    kept = kept_claims(claims)
    roots = outlet_mix(kept)
    kinds = Counter(kept.get("source_kind", []))
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5))
    fig.suptitle(f"Who says so? {title}: {len(kept)} attributed claims", fontweight="bold")
    ids = [k for k, _ in roots.most_common(15)]
    outlets = registry.outlets if registry is not None else {}
    names = [outlets[k].name if k in outlets else k for k in ids]
    left.barh(names[::-1], [roots[k] for k in ids][::-1], color="#4878a8")
    left.set_title("Claims by outlet (relays count for the relay)")
    left.set_xlabel("claims")
    left.set_ylabel("outlet")
    left.xaxis.set_major_locator(MaxNLocator(integer=True))
    if not ids:
        left.text(0.5, 0.5, "no outlet cited", ha="center", va="center", transform=left.transAxes)
    right.bar(list(kinds), list(kinds.values()), color="#a86848")
    right.set_title("Claims by source kind")
    right.set_xlabel("source kind")
    right.set_ylabel("claims")
    right.yaxis.set_major_locator(MaxNLocator(integer=True))
    plt.setp(right.get_xticklabels(), rotation=45, ha="right", rotation_mode="anchor")
    fig.tight_layout()
    return fig
