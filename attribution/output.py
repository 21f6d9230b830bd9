"""The output contract: one flat record per attribution, as JSON Lines, CSV or a table."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from attribution.model import Article

if TYPE_CHECKING:  # the pipeline (and its parser) is not needed to read a store
    from attribution.pipeline import AnnotatedArticle

FIELDS = (
    "article",
    "attribution_id",
    "sentence",
    "claim",
    "claim_start",
    "claim_end",
    "cue",
    "cue_type",
    "source",
    "source_start",
    "source_end",
    "source_kind",
    "source_resolved",
    "source_description",
    "outlet",
    "via",
    "outlet_match",
    "direct_quote",
    "confidence",
    "registry_hash",
)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
# What may stand before a formula and still let a spreadsheet program run it: whitespace,
# invisible characters (no-break and zero-width spaces, a BOM, joiners) and quotes.
_INVISIBLE = " \t\r\n\f\v\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
_INVISIBLE += "\u2009\u200a\u200b\u200c\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff'\"`"
# RFC 4180 rows end with CR LF; Python's csv module then quotes every cell holding a CR or
# an LF (with LF alone as the terminator, a lone CR in a cell went out unquoted and split
# the row for readers).
CSV_LINE_END = "\r\n"


def records(annotated: AnnotatedArticle) -> Iterator[dict[str, Any]]:
    """The output contract's records; offsets index the article as the user gave it."""
    article = annotated.article
    for a in annotated.attributions:
        src = a.source
        claim_start, claim_end = article.given_span(a.claim.start, a.claim.end)
        source_start, source_end = (
            article.given_span(src.span.start, src.span.end) if src else (None, None)
        )
        yield {
            "article": a.article,
            "attribution_id": a.id,
            "sentence": annotated.sentence_text(a.sentence),
            "claim": a.claim.text,
            "claim_start": claim_start,
            "claim_end": claim_end,
            "cue": a.cue.span.text,
            "cue_type": a.cue.type.value,
            "source": src.span.text if src else None,
            "source_start": source_start,
            "source_end": source_end,
            "source_kind": src.kind.value if src else "unnamed",
            "source_resolved": src.resolved.text if src and src.resolved else None,
            "source_description": src.description.text if src and src.description else None,
            "outlet": a.outlet,
            "via": a.via_outlet,
            "outlet_match": a.outlet_match,
            "direct_quote": a.direct_quote,
            "confidence": round(a.confidence, 3),
            "registry_hash": annotated.registry_hash,
        }


@dataclass(frozen=True)
class ArticleRecord:
    """An annotated article as plain data: what the store saves, and one line of a shard."""

    article: Article
    attributions: list[dict[str, Any]]  # records(), the output contract
    stats: tuple[int, int, int]  # AnnotatedArticle.sentence_stats()
    backend: str
    registry_hash: str


def article_record(annotated: AnnotatedArticle) -> ArticleRecord:
    return ArticleRecord(
        annotated.article,
        list(records(annotated)),
        annotated.sentence_stats(),
        annotated.backend,
        annotated.registry_hash,
    )


def write_jsonl(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    n = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n


def spreadsheet_safe(value: Any) -> Any:
    """A cell a spreadsheet program will show as text, never run as a formula."""
    if isinstance(value, str) and (
        value.startswith(FORMULA_PREFIXES) or value.lstrip(_INVISIBLE).startswith(FORMULA_PREFIXES)
    ):
        return "'" + value
    return value


def write_csv(
    rows: Iterable[dict[str, Any]], out: IO[str], fields: tuple[str, ...] = FIELDS
) -> int:
    writer = csv.DictWriter(
        out, fieldnames=fields, extrasaction="ignore", lineterminator=CSV_LINE_END
    )
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow({k: spreadsheet_safe(v) for k, v in row.items()})
        n += 1
    return n


def render_table(rows: list[dict[str, Any]], out: IO[str]) -> int:
    from rich.console import Console
    from rich.table import Table

    from attribution.terminal import plain

    table = Table(show_lines=True, expand=True)
    articles = {str(row.get("article")) for row in rows}
    several = len(articles) > 1  # then say which article each row is from
    if several:
        table.add_column("article", ratio=2, overflow="fold")
    # the directory all the articles share is left out (ids need not be paths: compared
    # as strings, cut at a "/")
    shared = os.path.commonprefix(sorted(articles)).rpartition("/")[0]  # noqa: RUF071
    cut = len(shared) + 1 if shared else 0
    for name, ratio in (("cue", 1), ("source", 2), ("kind", 0), ("outlet", 1), ("via", 1)):
        # a kind is one word of the contract: never cut
        table.add_column(name, ratio=ratio or None, overflow="fold", no_wrap=not ratio)
    table.add_column("claim", ratio=5, overflow="fold")
    for row in rows:
        source = row["source"] or "—"
        if row["source_resolved"]:
            source += f" → {row['source_resolved']}"
        claim = f"«{row['claim']}»" if row["direct_quote"] else row["claim"]
        # the article's words as plain text: no markup, no escape sequence reaches the terminal
        cells: tuple[Any, ...] = (
            row["cue"],
            source,
            row["source_kind"],
            row["outlet"],
            row["via"],
            claim,
        )
        if several:
            cells = (str(row.get("article"))[cut:], *cells)
        table.add_row(*(plain(cell) for cell in cells))
    Console(file=out, width=None if out.isatty() else 160).print(table)
    return len(rows)


def cue_span(text: str, row: dict[str, Any]) -> tuple[int | None, int | None]:
    """The cue's offsets in the article (records keep its text, not its offsets): the first
    occurrence of its text in its sentence."""
    sentence, cue = row.get("sentence") or "", row.get("cue") or ""
    base = text.find(sentence) if sentence else -1
    at = sentence.find(cue) if cue else -1
    if base < 0 or at < 0:
        return None, None
    return base + at, base + at + len(cue)
