"""Round two, security: no cell of a CSV we write splits its row or runs as a formula."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from attribution.export import claims_frame, write_table
from attribution.output import spreadsheet_safe, write_csv
from attribution.registry import load_registry
from attribution.store import Store
from tests.test_store import annotated

PAYLOAD = "=1+2*cmd|' /C calc'!A0"
DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def _evil_store(path: Path, separator: str) -> Store:
    store = Store(path)
    item = annotated("verb_que", "a1")
    article = replace(
        item.article,
        title=f"Rapport{separator}{PAYLOAD}",
        url=f"http://example.org/x{separator}{PAYLOAD}",
        publisher=f"pub{separator}{PAYLOAD}",
        date=f"2024-01-01{separator}{PAYLOAD}",
    )
    store.save(replace(item, article=article))
    return store


def _cells_are_safe(rows: list[list[str]], width: int) -> None:
    for row in rows:
        assert len(row) == width, row  # no row was split
        for cell in row:
            stripped = cell.lstrip(" \u00a0\u200b\ufeff'\"\t\r\n")
            assert not cell.startswith(DANGEROUS), cell
            assert not (stripped.startswith(DANGEROUS) and not cell.startswith("'")), cell


@pytest.mark.parametrize("separator", ["\r", "\n", "\r\n", ","])
def test_line_breaks_in_metadata_never_start_a_row_in_the_export(
    tmp_path: Path, separator: str
) -> None:
    with _evil_store(tmp_path / "a.db", separator) as store:
        frame = claims_frame(store, load_registry(use_user_file=False))
    out = tmp_path / "claims.csv"
    write_table(frame, out)
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    _cells_are_safe(rows, len(rows[0]))
    assert len(rows) == 1 + len(frame)
    back = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert len(back) == len(frame)
    assert back["article_title"].iloc[0] == f"Rapport{separator}{PAYLOAD}"
    for column in back.columns:
        assert not back[column].str.startswith(DANGEROUS).any(), column


@pytest.mark.parametrize("separator", ["\r", "\n"])
def test_line_breaks_in_metadata_never_start_a_row_in_the_audit_csv(
    tmp_path: Path, separator: str
) -> None:
    _evil_store(tmp_path / "a.db", separator).close()
    result = subprocess.run(
        [sys.executable, "-m", "attribution.cli", "audit", "--db", "a.db", "--format", "csv"],
        capture_output=True,
        cwd=tmp_path,
        check=True,
    )
    rows = list(csv.reader(io.StringIO(result.stdout.decode("utf-8"), newline="")))
    _cells_are_safe(rows, len(rows[0]))
    back = pd.read_csv(io.BytesIO(result.stdout), dtype=str, keep_default_na=False)
    assert len(back) == len(rows) - 1
    for column in back.columns:
        assert not back[column].str.startswith(DANGEROUS).any(), column


@pytest.mark.parametrize(
    "cell",
    [
        " =1+1",
        "\u00a0=1+1",
        "\u200b=1+1",
        "\ufeff@SUM(A1)",
        "'=1+1",
        '"=1+1',
        " \u200b +1",
        "＝1+1",
        "＋1",
        "－1",
        "＠cmd",
        "\tabc",
        "\rabc",
    ],
)
def test_formulas_behind_invisible_characters_or_full_width_signs_are_neutralised(
    cell: str,
) -> None:
    assert spreadsheet_safe(cell) == "'" + cell
    out = io.StringIO()
    write_csv([{"claim": cell, "cue": "x"}], out, ("claim", "cue"))
    [row] = list(csv.reader(io.StringIO(out.getvalue(), newline="")))[1:]
    assert row == ["'" + cell, "x"]


def test_ordinary_cells_are_left_alone() -> None:
    for cell in ("Rapport", "l'armée", "3", "a=b", "«citation»"):
        assert spreadsheet_safe(cell) == cell
