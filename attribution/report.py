"""Terminal tables for the evaluation report (rich)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from attribution.evaluate import Report, Tally, error_summary
from attribution.terminal import plain, printable

if TYPE_CHECKING:  # the heavy modules (pandas, networkx, scikit-learn) load where used
    from attribution.audit import AuditRow
    from attribution.corroborate import Cluster
    from attribution.network import Metrics


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def print_evaluation(title: str, report: Report, console: Console | None = None) -> None:
    console = console or Console(width=None if sys.stdout.isatty() else 110)
    o = report.overall
    head = Table(title=escape(printable(title)), show_header=True)
    for name in ("gold", "predicted", "matched", "precision", "recall", "F1"):
        head.add_column(name, justify="right")
    head.add_row(
        str(o.gold), str(o.predicted), str(o.matched), _pct(o.precision), _pct(o.recall), _pct(o.f1)
    )
    console.print(head)
    acc = Table(show_header=True, title="over matched attributions")
    for name in ("source", "source kind", "outlet link", "via", "antecedent", "claim overlap"):
        acc.add_column(name, justify="right")
    acc.add_row(*_accuracies(o))
    console.print(acc)
    console.print(
        f"negatives: {o.negatives} non-attribution cue spans, "
        f"{o.false_on_negatives} predictions on them"
    )
    per = Table(show_header=True, title="per construction (recall over gold lines with the label)")
    per.add_column("construction")
    for name in ("gold", "recall", "source", "kind", "outlet", "antecedent", "claim overlap"):
        per.add_column(name, justify="right")
    for label, t in sorted(report.by_construction.items()):
        source, kind, outlet, _via, resolved, claim = _accuracies(t)
        per.add_row(label, str(t.gold), _pct(t.recall), source, kind, outlet, resolved, claim)
    console.print(per)
    rel = Table(show_header=True, title="reliability (right = matched, with the right source)")
    for name in ("confidence", "predicted", "right", "precision"):
        rel.add_column(name, justify="right")
    for low, high, n, right in report.reliability():
        label = f"{low:.2f}–{min(high, 1.0):.2f}"
        rel.add_row(label, str(n), str(right), _pct(right / n if n else None))
    console.print(rel)
    console.print(
        "errors: " + ", ".join(f"{k} {v}" for k, v in error_summary(report).most_common())
    )


def _accuracies(t: Tally) -> tuple[str, str, str, str, str, str]:
    return (
        _pct(t.ratio("source")),
        _pct(t.ratio("kind")),
        _pct(t.ratio("outlet")),
        _pct(t.ratio("via")),
        _pct(t.ratio("resolved")),
        _pct(t.claim_overlap / t.matched if t.matched else None),
    )


def print_audit(rows: list[AuditRow], console: Console | None = None) -> None:
    console = console or Console(width=None if sys.stdout.isatty() else 140)
    table = Table(title="outlet mix", show_lines=False)
    for name in (
        "scope",
        "name",
        "claims",
        "unattributed",
        "anonymous",
        "self",
        "outlets",
        "independent",
        "HHI",
        "state-aff.",
    ):
        table.add_column(name, overflow="fold")
    for r in rows:
        table.add_row(
            r.scope,
            plain(r.name),
            str(r.attributions),
            _pct(r.unattributed_share),
            _pct(r.anonymous_share),
            _pct(r.self_citation_share),
            str(r.outlets),
            str(r.independent_outlets),
            _pct(r.hhi),
            _pct(r.state_affiliated_share),
        )
    console.print(table)
    for r in rows:
        for flag in r.flags:
            console.print(
                Text.assemble((f"{r.scope} ", "bold"), (printable(r.name), "bold"), ": ", flag)
            )


def print_network(metrics: Metrics, console: Console | None = None, top: int = 15) -> None:
    """The corpus's citation metrics: degrees, outlets many rely on, reciprocal pairs."""
    console = console or Console(width=None if sys.stdout.isatty() else 110)
    degrees = Table(title=f"Most cited (top {top})", show_header=True)
    degrees.add_column("node")
    degrees.add_column("cited by", justify="right")
    degrees.add_column("cites", justify="right")
    for label, n_in, n_out in metrics.degrees[:top]:
        degrees.add_row(plain(label, keep_lines=False), str(n_in), str(n_out))
    console.print(degrees)
    relied = Table(title="Outlets several publishers rely on", show_header=True)
    relied.add_column("outlet")
    relied.add_column("publishers citing it", justify="right")
    for label, n in metrics.relied_on[:top]:
        relied.add_row(plain(label, keep_lines=False), str(n))
    console.print(relied if metrics.relied_on else "no outlet is cited by two publishers")
    if metrics.reciprocal:
        pairs = "; ".join(f"{a} ⇄ {b}" for a, b in metrics.reciprocal)
        console.print(plain(f"reciprocal citation: {pairs}"))
    else:
        console.print("no reciprocal citation")


def print_clusters(clusters: list[Cluster], console: Console | None = None) -> None:
    """One row per claim reported in several articles."""
    console = console or Console(width=None if sys.stdout.isatty() else 110)
    if not clusters:
        console.print("no claim is reported by two articles")
        return
    table = Table(title=f"{len(clusters)} claims reported in several articles", show_lines=True)
    table.add_column("#", justify="right")
    table.add_column("claim (earliest report)", ratio=3)
    table.add_column("articles", justify="right")
    table.add_column("sources", ratio=2)
    table.add_column("independent origins", ratio=2)
    table.add_column("flags", ratio=2, style="bold #e06060")
    for k, c in enumerate(clusters, 1):
        table.add_row(
            str(k),
            plain(c.reports[0].claim, keep_lines=False),
            str(len(c.articles)),
            plain("; ".join(c.sources), keep_lines=False),
            plain(f"{len(c.origins)}: " + "; ".join(c.origins.values()), keep_lines=False),
            plain("\n".join(c.flags)),
        )
    console.print(table)
