"""The audit as one self-contained HTML page, for sharing: the outlet-mix plot inline
(SVG), the table of each article, publisher and the corpus, and the flags. No script,
no stylesheet or font from elsewhere: the file opens the same anywhere, offline."""

from __future__ import annotations

import io
from collections.abc import Sequence
from html import escape

import pandas as pd

from attribution.audit import AuditRow, plot_outlet_mix
from attribution.registry import Registry

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 72em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 2em; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3em 0.5em; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.scroll { overflow-x: auto; } td { overflow-wrap: anywhere; }
.flag { color: #a02020; } .muted { color: #777; } svg { max-width: 100%; height: auto; }
"""
COLUMNS = (
    ("scope", "scope"),
    ("name", "name"),
    ("claims", "attributions"),
    ("unattributed statements", "unattributed_share"),
    ("anonymous", "anonymous_share"),
    ("self-citation", "self_citation_share"),
    ("outlets", "outlets"),
    ("independent outlets", "independent_outlets"),
    ("HHI", "hhi"),
    ("state-affiliated", "state_affiliated_share"),
)


def audit_html(
    rows: Sequence[AuditRow], claims: pd.DataFrame, registry: Registry, title: str
) -> str:
    """The page: `title` names the article or the corpus."""
    return page(f"Who says so? {title}", audit_section(rows, claims, registry, title))


def page(title: str, body: str, style: str = "") -> str:
    """A self-contained HTML document: the shared style (and `style`) inline."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>{STYLE}{style}</style>
</head>
<body>
<h1>{escape(title)}</h1>
{body}
</body>
</html>
"""


def audit_section(
    rows: Sequence[AuditRow], claims: pd.DataFrame, registry: Registry, title: str
) -> str:
    """The outlet-mix plot (inline SVG), the table of `rows` and their flags."""
    plot = io.BytesIO()
    plot_outlet_mix(claims, plot, registry, title, format="svg")
    svg = plot.getvalue().decode("utf-8")
    svg = svg[svg.index("<svg") :]  # inline: without the XML declaration and doctype
    head = "".join(f"<th>{escape(name)}</th>" for name, _ in COLUMNS)
    body = "\n".join(
        "<tr>" + "".join(_cell(key, getattr(r, key)) for _, key in COLUMNS) + "</tr>" for r in rows
    )
    flags = "\n".join(
        f'<li><b>{escape(r.scope)} {escape(r.name)}</b>: <span class="flag">{escape(f)}</span></li>'
        for r in rows
        for f in r.flags
    )
    return f"""<p class="muted">The outlet mix of the attributed claims (rejected ones left
out); a relayed source counts for the outlet that relays it.</p>
{svg}
<h2>Outlet mix</h2>
<div class="scroll"><table>
<thead><tr>{head}</tr></thead>
<tbody>
{body}
</tbody>
</table></div>
<h2>Flags</h2>
{f"<ul>{flags}</ul>" if flags else '<p class="muted">none</p>'}
"""


def _cell(key: str, value: object) -> str:
    if value is None:
        return '<td class="n">—</td>'
    if isinstance(value, float):  # shares as percentages; the HHI as the index it is
        return (
            f'<td class="n">{value:.2f}</td>' if key == "hhi" else f'<td class="n">{value:.0%}</td>'
        )
    if isinstance(value, int):
        return f'<td class="n">{value}</td>'
    return f"<td>{escape(str(value))}</td>"
