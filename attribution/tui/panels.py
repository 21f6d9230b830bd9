"""Rich renderables for the article view: the highlighted text, the source and audit panels."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from attribution.output import cue_span
from attribution.registry import Registry
from attribution.terminal import plain, printable

if TYPE_CHECKING:
    from attribution.audit import AuditRow

STYLES = {"cue": "bold #e0a040", "source": "bold #60a0e0", "claim": "#a0d0a0"}
CURRENT = {
    "cue": "bold black on #e0a040",
    "source": "bold black on #60a0e0",
    "claim": "black on #a0d0a0",
}


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line of the article."""
    spans, offset = [], 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((offset, offset + len(line)))
        offset += len(line) + 1
    return spans


def highlighted(
    text: str, start: int, end: int, rows: list[dict[str, Any]], current: str | None
) -> Text:
    """One paragraph with every attribution's claim, cue and source in their styles."""
    out = Text(printable(text[start:end], keep_lines=True))  # one character for one: offsets hold
    for row in rows:
        styles = CURRENT if row["id"] == current else STYLES
        for part, (a, b) in (
            ("claim", (row["claim_start"], row["claim_end"])),
            ("source", (row["source_start"], row["source_end"])),
            ("cue", cue_span(text, row)),
        ):
            if a is None or b is None or b <= start or a >= end:
                continue
            out.stylize(styles[part], max(a, start) - start, min(b, end) - start)
    return out


def shortened(text: str, chars: int) -> str:
    """At most `chars` characters, cut between words (never inside a name) with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= chars:
        return text
    cut = text[: chars - 1]
    if " " in cut and not text[chars - 1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def source_panel(
    row: dict[str, Any] | None, registry: Registry, also_reported: str | None = None
) -> RenderableType:
    """The current attribution's source, its registry card, and the other articles that
    report its claim."""
    if row is None:
        return Text("No attribution selected.", style="dim")
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    lines = _Lines(grid)
    lines.add_row("source", row["source"] or "— (no source)")
    if row.get("source_resolved"):
        lines.add_row("refers to", row["source_resolved"])
    if row.get("source_description"):
        lines.add_row("described as", row["source_description"])
    lines.add_row("kind", row["source_kind"] or "")
    if row.get("via"):
        relay = registry.outlets.get(row["via"])
        lines.add_row("relayed by", f"{row['via']}" + (f" — {relay.name}" if relay else ""))
    lines.add_row(
        "status", row["review_status"] + (f" by {row['reviewer']}" if row["reviewer"] else "")
    )
    if row.get("note"):
        lines.add_row("note", row["note"])
    if also_reported:
        lines.add_row("corroboration", also_reported)
    outlet = registry.outlets.get(row["outlet"] or "")
    if outlet is None:
        match = str(row.get("outlet_match") or "")
        if match.startswith("ambiguous:"):
            lines.add_row("outlet", "ambiguous: " + match.split(":", 1)[1].replace(",", " or "))
        else:
            lines.add_row("outlet", row["outlet"] or "not in the registry")
        return grid
    lines.add_row("outlet", f"{outlet.name} ({outlet.id})")
    if row.get("outlet_match"):
        lines.add_row("linked by", str(row["outlet_match"]))
    lines.add_row("type", f"{outlet.type}, {outlet.country or '?'}")
    if outlet.ownership:
        lines.add_row("owners", "; ".join(_dated(r.owner or r.name, r) for r in outlet.ownership))
    if outlet.affiliations:
        lines.add_row(
            "affiliations", "; ".join(_dated(r.name or r.owner, r) for r in outlet.affiliations)
        )
    lines.add_row("state-affiliated", "yes" if outlet.state_affiliated else "no")
    if outlet.alignment:
        lines.add_row("alignment", outlet.alignment.axis)
    rel = outlet.reliability
    lines.add_row("reliability", f"{rel.level} (reviewed {rel.reviewed or 'never'})")
    if rel.rationale:
        lines.add_row("", rel.rationale)
    for rating in outlet.ratings:
        lines.add_row("rated", f"[{rating.kind}] {rating.label}")
    if outlet.refs:
        lines.add_row("references", "\n".join(outlet.refs[:3]))
    return grid


class _Lines:
    """Rows of a grid whose values are the user's data: shown as plain text, never markup."""

    def __init__(self, grid: Table) -> None:
        self.grid = grid

    def add_row(self, label: str, value: object) -> None:
        self.grid.add_row(label, plain(value))


def _dated(name: str | None, relation: Any) -> str:
    dates = [str(d) for d in (relation.valid_from, relation.valid_to) if d]
    return (name or "?") + (f" ({'–'.join(dates)})" if dates else "")


def audit_panel(row: AuditRow | None, outlet_counts: dict[str, int]) -> RenderableType:
    if row is None:
        return Text("No audit.", style="dim")
    parts: list[RenderableType] = []
    width = max(outlet_counts.values(), default=1)
    bars = Table.grid(padding=(0, 1))
    bars.add_column(no_wrap=True)
    bars.add_column()
    for name, n in sorted(outlet_counts.items(), key=lambda kv: -kv[1]):
        bars.add_row(
            plain(name, keep_lines=False),
            Text("█" * max(1, round(12 * n / width)) + f" {n}", style="#60a0e0"),
        )
    parts.append(Text("Claims by outlet (relays count for the relay)", style="bold"))
    parts.append(bars if outlet_counts else Text("no outlet cited", style="dim"))
    share = "—" if row.anonymous_share is None else f"{row.anonymous_share:.0%}"
    hhi = "—" if row.hhi is None else f"{row.hhi:.2f}"
    independent = row.independent_outlets
    parts.append(Text(f"anonymous {share} · independent outlets {independent} · HHI {hhi}"))
    for flag in row.flags:
        parts.append(plain(f"⚑ {flag}", style="bold #e06060"))
    return Group(*parts)
