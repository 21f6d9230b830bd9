"""How far reviewers agree, over the attributions that two or more of them decided.

Each reviewer's verdict on an attribution is their own last decision (confirm, reject or
flag) left standing in the log; an adjudicator's settling decision is not a verdict. Over
the attributions with two verdicts or more: raw agreement (the share of agreeing pairs of
verdicts, averaged over attributions), and chance-corrected agreement: Cohen's kappa when
the group has two reviewers, Krippendorff's alpha (nominal, any number of reviewers,
missing verdicts allowed) when it has more. Overall, per source kind, per reviewer pair.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from itertools import combinations
from typing import Any

from attribution.store import Store, derive_state


@dataclass(frozen=True)
class Item:
    """One attribution and its reviewers' verdicts."""

    attribution_id: str
    article: str
    source: str | None
    source_kind: str
    verdicts: dict[str, str]  # reviewer → confirmed | rejected | flagged
    status: str
    adjudicated: bool

    @property
    def disputed(self) -> bool:
        return len(set(self.verdicts.values())) > 1


@dataclass(frozen=True)
class AgreementRow:
    scope: str  # overall | source_kind | pair
    group: str  # "", the kind, or "alice+bob"
    attributions: int
    reviewers: int
    raw_agreement: float | None
    statistic: str  # cohen_kappa | krippendorff_alpha
    value: float | None  # None where it is undefined (every verdict in one category)


def collect(store: Store, since: str | None = None) -> list[Item]:
    """The attributions with verdicts from two reviewers or more (verdicts given since
    `since` only, when given), in store order."""
    logs: dict[str, list[Any]] = {}
    for entry in store.review_log():
        logs.setdefault(entry.attribution_id, []).append(entry)
    items = []
    for row in store.attributions(include_vanished=True):
        entries = logs.get(row["id"])
        if not entries:
            continue
        state = derive_state(entries)
        verdicts = {
            name: status
            for name, (status, at) in state.verdicts.items()
            if since is None or at >= since
        }
        if len(verdicts) >= 2:
            items.append(
                Item(
                    row["id"],
                    row["article_id"],
                    row["source_resolved"] or row["source"],
                    row["source_kind"] or "",
                    verdicts,
                    row["review_status"],
                    state.adjudicated is not None,
                )
            )
    return items


def raw_agreement(items: Sequence[Item]) -> float | None:
    shares = []
    for item in items:
        pairs = list(combinations(item.verdicts.values(), 2))
        if pairs:
            shares.append(sum(a == b for a, b in pairs) / len(pairs))
    return sum(shares) / len(shares) if shares else None


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> float | None:
    """Cohen's kappa for two raters' labels on the same items."""
    n = len(pairs)
    if n == 0:
        return None
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[c] * second[c] for c in first) / (n * n)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def krippendorff_alpha(units: Iterable[Sequence[str]]) -> float | None:
    """Krippendorff's alpha for nominal labels: each unit is the labels it received (from
    any number of raters; units with fewer than two labels do not count)."""
    coincidences: defaultdict[tuple[str, str], float] = defaultdict(float)
    for labels in units:
        m = len(labels)
        if m < 2:
            continue
        for i, j in combinations(range(m), 2):
            coincidences[labels[i], labels[j]] += 1 / (m - 1)
            coincidences[labels[j], labels[i]] += 1 / (m - 1)
    totals: defaultdict[str, float] = defaultdict(float)
    for (c, _), o in coincidences.items():
        totals[c] += o
    n = sum(totals.values())
    disagreement = sum(o for (c, k), o in coincidences.items() if c != k)
    chance = sum(totals[c] * totals[k] for c in totals for k in totals if c != k)
    if n <= 1 or chance == 0:
        return None
    return 1 - (n - 1) * disagreement / chance


def agreement(items: Sequence[Item]) -> list[AgreementRow]:
    """Overall, per source kind, per reviewer pair."""
    rows = [_group_row("overall", "", items)]
    for kind in sorted({i.source_kind for i in items}):
        rows.append(_group_row("source_kind", kind, [i for i in items if i.source_kind == kind]))
    names = sorted({name for i in items for name in i.verdicts})
    for a, b in combinations(names, 2):
        both = [i for i in items if a in i.verdicts and b in i.verdicts]
        if both:
            pairs = [(i.verdicts[a], i.verdicts[b]) for i in both]
            rows.append(
                AgreementRow(
                    "pair",
                    f"{a}+{b}",
                    len(both),
                    2,
                    sum(x == y for x, y in pairs) / len(pairs),
                    "cohen_kappa",
                    cohen_kappa(pairs),
                )
            )
    return rows


def _group_row(scope: str, group: str, items: Sequence[Item]) -> AgreementRow:
    names = sorted({name for i in items for name in i.verdicts})
    if len(names) == 2:
        a, b = names
        statistic = "cohen_kappa"
        value = cohen_kappa([(i.verdicts[a], i.verdicts[b]) for i in items])
    else:
        statistic = "krippendorff_alpha"
        value = krippendorff_alpha([list(i.verdicts.values()) for i in items])
    return AgreementRow(
        scope, group, len(items), len(names), raw_agreement(items), statistic, value
    )


def disputed(items: Sequence[Item]) -> list[dict[str, Any]]:
    """The attributions whose reviewers disagree, flat, for a table or a CSV."""
    return [
        {
            "article": i.article,
            "attribution_id": i.attribution_id,
            "source": i.source,
            "source_kind": i.source_kind,
            "verdicts": "; ".join(f"{name}={v}" for name, v in sorted(i.verdicts.items())),
            "status": i.status,
            "adjudicated": i.adjudicated,
        }
        for i in items
        if i.disputed
    ]


def as_dicts(rows: Sequence[AgreementRow]) -> list[dict[str, Any]]:
    return [asdict(r) for r in rows]


def print_report(rows: Sequence[AgreementRow], disputes: Sequence[dict[str, Any]]) -> None:
    """Both tables on the terminal (user data shown as text, never read as markup)."""
    import sys

    from rich.console import Console
    from rich.table import Table

    from attribution.terminal import plain

    console = Console(width=None if sys.stdout.isatty() else 120)
    table = Table(title="agreement over attributions with two or more reviewers")
    for name in ("scope", "group", "attributions", "reviewers", "raw", "statistic", "value"):
        table.add_column(name, justify="right" if name not in ("scope", "group") else "left")
    for r in rows:
        table.add_row(
            r.scope,
            plain(r.group, keep_lines=False),
            str(r.attributions),
            str(r.reviewers),
            _fmt(r.raw_agreement),
            r.statistic,
            _fmt(r.value),
        )
    console.print(table)
    listing = Table(title=f"disputed attributions: {len(disputes)}")
    for name in ("article", "source", "kind", "verdicts", "status", "adjudicated"):
        listing.add_column(name)
    for d in disputes:
        listing.add_row(
            plain(d["article"], keep_lines=False),
            plain(d["source"] or "—", keep_lines=False),
            d["source_kind"],
            plain(d["verdicts"], keep_lines=False),
            d["status"],
            "yes" if d["adjudicated"] else "no",
        )
    console.print(listing)


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


AGREEMENT_FIELDS = tuple(AgreementRow.__dataclass_fields__)
DISPUTED_FIELDS = (
    "article",
    "attribution_id",
    "source",
    "source_kind",
    "verdicts",
    "status",
    "adjudicated",
)
