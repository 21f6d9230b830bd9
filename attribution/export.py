"""Claim and source tables from the store, for colleagues and spreadsheets.

Columns: the output contract, then the article and outlet context, then the review state.
Where fact-checking has a convention, the column carries its schema.org ClaimReview name
(`claimant`, `appearance_url`, `date_published`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from attribution.files import written
from attribution.output import CSV_LINE_END, FIELDS, spreadsheet_safe
from attribution.registry import Registry
from attribution.store import Store

CLAIM_COLUMNS = (
    *FIELDS,
    "claimant",
    "appearance_url",
    "date_published",
    "article_title",
    "publisher",
    "outlet_name",
    "outlet_type",
    "outlet_country",
    "outlet_alignment",
    "outlet_reliability",
    "outlet_state_affiliated",
    "review_status",
    "reviewer",
    "reviewed_at",
    "note",
)
SOURCE_COLUMNS = (
    "article",
    "source",
    "source_kind",
    "outlet",
    "via",
    "outlet_name",
    "attributions",
    "direct_quotes",
    "confirmed",
    "rejected",
    "flagged",
    "pending",
)


def claims_frame(
    store: Store,
    registry: Registry,
    *,
    status: str | None = None,
    outlet: str | None = None,
    article: str | None = None,
    since: str | None = None,
) -> pd.DataFrame:
    rows = store.attributions(status=status, outlet=outlet, article=article, since=since)
    out = []
    for r in rows:
        o = registry.outlets.get(r["outlet"] or "")
        out.append(
            {
                **{k: r.get(k) for k in FIELDS if k not in ("article", "attribution_id")},
                "article": r["article_id"],
                "attribution_id": r["id"],
                "claimant": r["claimant"],
                "appearance_url": r["article_url"],
                "date_published": r["article_date"],
                "article_title": r["article_title"],
                "publisher": r["publisher"],
                "outlet_name": o.name if o else None,
                "outlet_type": o.type if o else None,
                "outlet_country": o.country if o else None,
                "outlet_alignment": o.alignment.axis if o and o.alignment else None,
                "outlet_reliability": o.reliability.level if o else None,
                "outlet_state_affiliated": o.state_affiliated if o else None,
                "review_status": r["review_status"],
                "reviewer": r["reviewer"],
                "reviewed_at": r["reviewed_at"],
                "note": r["note"],
            }
        )
    return pd.DataFrame(out, columns=list(CLAIM_COLUMNS))


def sources_frame(claims: pd.DataFrame) -> pd.DataFrame:
    """One row per (article, cited source) with counts."""
    if claims.empty:
        return pd.DataFrame(columns=list(SOURCE_COLUMNS))
    frame = claims.assign(
        source=claims["claimant"].fillna("(no source)"),
        direct=claims["direct_quote"].astype(bool),
    )
    keys = ["article", "source", "source_kind", "outlet", "via", "outlet_name"]
    frame[keys] = frame[keys].fillna("")  # group on empty cells, not on missing ones
    for status in ("confirmed", "rejected", "flagged", "pending"):
        frame[status] = (frame["review_status"] == status).astype(int)
    table = frame.groupby(keys, sort=False).agg(
        attributions=("attribution_id", "count"),
        direct_quotes=("direct", "sum"),
        confirmed=("confirmed", "sum"),
        rejected=("rejected", "sum"),
        flagged=("flagged", "sum"),
        pending=("pending", "sum"),
    )
    table = table.reset_index()
    return table[list(SOURCE_COLUMNS)].sort_values(
        ["article", "attributions"], ascending=[True, False]
    )


def write_table(frame: pd.DataFrame, path: Path, *, excel: bool = False) -> int:
    """CSV (UTF-8, with a BOM for spreadsheet programs when `excel`) or JSON Lines."""
    safe = frame.map(spreadsheet_safe)
    with written(path) as target:  # whole or not at all: a full disk leaves no cut file
        if path.suffix.lower() == ".jsonl":
            frame.to_json(target, orient="records", lines=True, force_ascii=False)
        else:
            safe.to_csv(
                target,
                index=False,
                encoding="utf-8-sig" if excel else "utf-8",
                lineterminator=CSV_LINE_END,
            )
    return len(frame)
