"""One annotated article as a self-contained HTML page, for sharing with editors: the text
with every cue, source and claim highlighted (numbered, rejected ones struck through), the
claims with their review, each cited source's registry card, the article's audit and
flags, and, where known, who else reported each claim. Like the audit page, no script,
stylesheet or font from elsewhere.

Everything comes from the store's reviewed view (`Store.attributions`): a reassigned
source, a linked outlet or an edited claim span shows as the review left it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from itertools import pairwise
from typing import Any
from urllib.parse import urlsplit

from attribution.audit import audit
from attribution.audit_html import audit_section, page
from attribution.export import claims_frame
from attribution.ingest import body_start
from attribution.output import cue_span
from attribution.registry import Outlet, Registry
from attribution.store import Store

PARTS = ("cue", "source", "claim")
STYLE = """
.meta { color: #555; } .legend mark { padding: 0 0.3em; }
.text { white-space: pre-wrap; line-height: 1.75; font-size: 1.05em; max-width: 50em; }
mark { background: none; color: inherit; }
mark.claim { background: #dcefd6; }
mark.source { color: #1f5f9f; font-weight: 600; border-bottom: 2px solid #60a0e0; }
mark.cue { color: #8a4f00; font-weight: 600; border-bottom: 2px dotted #e0a040; }
mark.rejected { background: none; color: #888; border: 0; text-decoration: line-through; }
a.n { font-size: 0.7em; vertical-align: super; text-decoration: none; margin: 0 0.1em; }
:target { outline: 2px solid #e0a040; }
.status { font-size: 0.85em; white-space: nowrap; }
.confirmed { color: #1a7a1a; } .rejected { color: #888; } .flagged { color: #a02020; }
.pending { color: #777; }
.also, .note { color: #555; font-size: 0.9em; margin-top: 0.2em; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(22em, 1fr));
  gap: 1em; align-items: start; }
.card { border: 1px solid #ddd; border-radius: 6px; padding: 0.5em 1em; }
.card h3 { font-size: 1em; margin: 0.3em 0 0.5em; }
.card dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2em 0.8em; margin: 0; }
.card dt { color: #777; } .card dd { margin: 0; overflow-wrap: anywhere; }
.card ul { margin: 0; padding-left: 1.1em; }
.high { color: #1a7a1a; } .low { color: #a02020; } .mixed { color: #8a4f00; }
"""


def article_report(
    store: Store,
    article_id: str,
    registry: Registry,
    also_reported: Mapping[str, str] | None = None,
) -> str:
    """The page of one stored article. `also_reported` gives, by attribution id, a line
    on who else reported the claim (the corroboration); without it nothing is said."""
    [article] = store.articles(article_id)
    text = store.article_text(article_id) or ""
    rows = store.attributions(article=article_id)
    frame = claims_frame(store, registry, article=article_id)
    audit_rows = [r for r in audit(frame, [article], registry) if r.scope == "article"]
    title = str(article["title"] or article_id)
    body = "\n".join(
        (
            _meta(article, registry),
            _legend(),
            f'<div class="text">{marked_text(text, rows, body_start(text, article["path"]))}</div>',
            "<h2>Claims</h2>",
            _claims(rows, registry, also_reported or {}),
            "<h2>Sources</h2>",
            _cards(rows, registry),
            "<h2>Audit</h2>",
            audit_section(audit_rows, frame, registry, title),
        )
    )
    return page(f"Who says so? {title}", body, STYLE)


def marked_text(text: str, rows: Sequence[Mapping[str, Any]], start: int = 0) -> str:
    """The text from `start`, escaped, with each attribution's cue, source and claim in
    `<mark>`s (one per stretch of text that the same parts cover, so that overlapping spans
    nest nowhere), and each claim's number after it, linking to its row in the claims
    table."""
    spans: list[tuple[int, int, str, int]] = []
    for n, row in enumerate(rows, 1):
        for part, (a, b) in (
            ("claim", (row["claim_start"], row["claim_end"])),
            ("source", (row["source_start"], row["source_end"])),
            ("cue", cue_span(text, dict(row))),
        ):
            if a is not None and b is not None and start <= a < b <= len(text):
                spans.append((a, b, part, n))
    rejected = {n for n, row in enumerate(rows, 1) if row["review_status"] == "rejected"}
    ends: dict[int, list[int]] = {}  # where each claim's number goes
    for _, b, part, n in spans:
        if part == "claim":
            ends.setdefault(b, []).append(n)
    cuts = sorted({start, len(text), *(a for a, *_ in spans), *(b for _, b, *_ in spans)})
    started: set[int] = set()
    out = []
    for a, b in pairwise(cuts):
        inside = [(part, n) for s, e, part, n in spans if s <= a and b <= e]
        piece = escape(text[a:b])
        if inside:
            numbers = sorted({n for _, n in inside})
            classes = [p for p in PARTS if any(part == p for part, _ in inside)]
            if all(n in rejected for n in numbers):
                classes.append("rejected")
            anchor = ""
            first = [n for part, n in inside if part == "claim" and n not in started]
            if first:
                started.update(first)
                anchor = f' id="t{first[0]}"'
            data = " ".join(map(str, numbers))
            piece = f'<mark class="{" ".join(classes)}" data-n="{data}"{anchor}>{piece}</mark>'
        out.append(piece)
        out.extend(f'<a class="n" href="#c{n}">{n}</a>' for n in sorted(ends.get(b, ())))
    return "".join(out)


def _meta(article: Mapping[str, Any], registry: Registry) -> str:
    publisher = registry.outlets.get(article["publisher"] or "")
    parts = [
        f"published by {escape(publisher.name if publisher else article['publisher'])}"
        if article["publisher"]
        else "",
        escape(str(article["date"])) if article["date"] else "",
        _link(article["url"]),
        f"{article['attributions']} attributed claims",
    ]
    return f'<p class="meta">{" · ".join(p for p in parts if p)}</p>'


def _legend() -> str:
    return (
        '<p class="legend muted"><mark class="cue">cue</mark> <mark class="source">source'
        '</mark> <mark class="claim">claim</mark> <mark class="claim rejected">rejected'
        "</mark> — each claim's number links to its review below.</p>"
    )


def _claims(rows: Sequence[Mapping[str, Any]], registry: Registry, also: Mapping[str, str]) -> str:
    if not rows:
        return '<p class="muted">No attributed claim.</p>'
    lines = []
    for n, row in enumerate(rows, 1):
        status = row["review_status"]
        by = f" by {escape(row['reviewer'])}" if row["reviewer"] else ""
        claim = escape(row["claim"] or "")
        if row["id"] in also:
            claim += f'<div class="also">{escape(also[row["id"]])}</div>'
        if row.get("note"):
            claim += f'<div class="note">note: {escape(row["note"])}</div>'
        source = escape(row["claimant"] or "— (no source)")
        outlet = registry.outlets.get(row["outlet"] or "")
        relay = registry.outlets.get(row["via"] or "")
        cited = [
            f"{source} <span class='muted'>({escape(row['source_kind'] or '?')})</span>",
            f"outlet: {escape(outlet.name)}" if outlet else "",
            f"relayed by {escape(relay.name)}" if relay else "",
        ]
        lines.append(
            f'<tr id="c{n}"><td class="n"><a href="#t{n}">{n}</a></td>'
            f'<td class="status {escape(status)}">{escape(status)}{by}</td>'
            f"<td>{claim}</td><td>{'<br>'.join(c for c in cited if c)}</td>"
            f"<td>{escape(row['cue'] or '')}</td>"
            f'<td class="n">{_confidence(row["confidence"])}</td></tr>'
        )
    return (
        '<div class="scroll"><table class="claims"><thead><tr><th>#</th><th>review</th>'
        "<th>claim</th><th>source</th><th>cue</th><th>confidence</th></tr></thead>"
        f"<tbody>{''.join(lines)}</tbody></table></div>"
    )


def _confidence(value: object) -> str:
    return f"{value:.2f}" if isinstance(value, float) else "—"


def _cards(rows: Sequence[Mapping[str, Any]], registry: Registry) -> str:
    """One card per cited source (rejected attributions left out): a registry outlet (the
    source's own, or one that relays sources) once, however it is cited; a source outside
    the registry by its name."""
    cards: dict[str, dict[str, Any]] = {}
    for n, row in enumerate(rows, 1):
        if row["review_status"] == "rejected":
            continue  # not a citation after all
        for outlet_id, role in ((row["outlet"], "cited"), (row["via"], "relays")):
            outlet = registry.outlets.get(outlet_id or "")
            if outlet is not None:
                card = cards.setdefault(outlet.id, {"outlet": outlet, "as": {}, "names": set()})
                card["as"].setdefault(role, []).append(n)
                if role == "cited" and row["claimant"]:
                    card["names"].add(row["claimant"])
        if registry.outlets.get(row["outlet"] or "") is None:
            name = row["claimant"] or "— (no source)"
            card = cards.setdefault(f"source:{name}", {"row": row, "as": {}})
            card["as"].setdefault("cited", []).append(n)
    if not cards:
        return '<p class="muted">No source cited.</p>'
    return f'<div class="cards">{"".join(_card(c) for c in cards.values())}</div>'


def _card(card: Mapping[str, Any]) -> str:
    numbers = ", ".join(
        f"{'cited in' if role == 'cited' else 'relays the sources of'} "
        + " ".join(f'<a href="#c{n}">#{n}</a>' for n in ns)
        for role, ns in card["as"].items()
    )
    outlet: Outlet | None = card.get("outlet")
    if outlet is None:
        row = card["row"]
        fields = [
            ("kind", escape(row["source_kind"] or "?")),
            ("described as", escape(row["source_description"] or "")),
            ("registry", '<span class="muted">not in the registry</span>'),
            ("claims", numbers),
        ]
        name = escape(row["claimant"] or "— (no source)")
        return _dl(name, fields)
    rel = outlet.reliability
    if rel.reviewed:
        reviewed = f"reviewed {rel.reviewed}"
    else:
        reviewed = "derived, not reviewed" if rel.derived_from else "no assessment"
    ratings = "".join(
        f"<li>[{escape(r.kind)}] {escape(r.provider)}, {escape(str(r.date))}: "
        f"{escape(r.value)} {_link(r.url, 'source')}</li>"
        for r in outlet.ratings
    )
    fields = [
        ("cited as", escape("; ".join(sorted(card["names"])))),
        ("type", escape(outlet.type)),
        ("country", escape(outlet.country or "?")),
        ("owners", escape("; ".join(r.owner or r.name or "?" for r in outlet.ownership))),
        ("state-affiliated", "yes" if outlet.state_affiliated else "no"),
        ("alignment", escape(outlet.alignment.axis) if outlet.alignment else ""),
        (
            "reliability",
            f'<b class="{escape(rel.level)}">{escape(rel.level)}</b> '
            f'<span class="muted">({escape(reviewed)})</span>'
            + (f"<br>{escape(rel.rationale)}" if rel.rationale else ""),
        ),
        ("ratings", f"<ul>{ratings}</ul>" if ratings else ""),
        ("claims", numbers),
    ]
    return _dl(f"{escape(outlet.name)} <span class='muted'>({escape(outlet.id)})</span>", fields)


def _dl(title: str, fields: Sequence[tuple[str, str]]) -> str:
    items = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in fields if value)
    return f'<div class="card"><h3>{title}</h3><dl>{items}</dl></div>'


def _link(url: object, label: str | None = None) -> str:
    """A link to a web page (never another scheme), or the address as text."""
    if not url:
        return ""
    text = escape(str(url))
    if urlsplit(str(url)).scheme not in ("http", "https"):
        return text
    return f'<a href="{text}" rel="noreferrer noopener">{escape(label) if label else text}</a>'
