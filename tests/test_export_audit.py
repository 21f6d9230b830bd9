"""Exports (golden CSV files, every column) and the audit's numbers on a hand-checked sample."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from attribution import store as store_module
from attribution.audit import audit
from attribution.export import CLAIM_COLUMNS, claims_frame, sources_frame, write_table
from attribution.registry import load_registry
from attribution.store import Store
from tests.test_store import annotated

GOLDEN = Path(__file__).parent / "data" / "golden"


@pytest.fixture
def filled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    monkeypatch.setattr(store_module, "_now", lambda: "2026-03-14T10:00:00+00:00")
    store = Store(tmp_path / "a.db")
    store.save(annotated("verb_que", "a1"))
    store.save(annotated("selon_preposed", "a2"))
    store.save(annotated("dapres", "a3"))
    [first] = store.attributions(article="a1")
    store.review(first["id"], "confirm", "alice")
    store.review(first["id"], "note", "alice", '=HYPERLINK("x") checked')
    return store


@pytest.mark.parametrize("name", ["claims.csv", "sources.csv"])
def test_exports_match_the_golden_files(filled: Store, tmp_path: Path, name: str) -> None:
    frame = claims_frame(filled, load_registry(use_user_file=False))
    table = frame if name == "claims.csv" else sources_frame(frame)
    out = tmp_path / name
    write_table(table, out)
    assert out.read_text(encoding="utf-8") == (GOLDEN / name).read_text(encoding="utf-8")


def test_claims_columns_are_flat_and_documented(filled: Store, tmp_path: Path) -> None:
    out = tmp_path / "c.csv"
    write_table(claims_frame(filled, load_registry(use_user_file=False)), out, excel=True)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM for spreadsheet programs
    with out.open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert tuple(rows[0]) == CLAIM_COLUMNS
    assert all("{" not in v and "[" not in v for r in rows for v in r.values() if v)
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert all(f"`{c}`" in readme for c in CLAIM_COLUMNS)
    note = next(r["note"] for r in rows if r["note"])
    assert note.startswith("'=")  # no formula runs in a spreadsheet


def test_filters(filled: Store) -> None:
    registry = load_registry(use_user_file=False)
    assert len(claims_frame(filled, registry, status="confirmed")) == 1
    assert len(claims_frame(filled, registry, status="pending")) == 2
    assert set(claims_frame(filled, registry, outlet="reuters")["article"]) == {"a3"}
    assert set(claims_frame(filled, registry, article="a2")["article"]) == {"a2"}
    assert len(claims_frame(filled, registry, since="2030-01-01")) == 0


def test_audit_numbers_on_a_hand_checked_sample() -> None:
    registry = load_registry(use_user_file=False)
    claims = pd.DataFrame(
        [
            # four claims: two from SANA itself, one from sources it relays, one anonymous
            {
                "article": "x",
                "claimant": "SANA",
                "source_kind": "outlet",
                "outlet": "sana",
                "via": None,
                "review_status": "pending",
            },
            {
                "article": "x",
                "claimant": "SANA",
                "source_kind": "outlet",
                "outlet": "sana",
                "via": None,
                "review_status": "confirmed",
            },
            {
                "article": "x",
                "claimant": "des sources",
                "source_kind": "anonymous",
                "outlet": None,
                "via": "sana",
                "review_status": "pending",
            },
            {
                "article": "x",
                "claimant": "l'OSDH",
                "source_kind": "organization",
                "outlet": "osdh",
                "via": None,
                "review_status": "pending",
            },
            # rejected: does not count
            {
                "article": "x",
                "claimant": "Reuters",
                "source_kind": "outlet",
                "outlet": "reuters",
                "via": None,
                "review_status": "rejected",
            },
        ]
    )
    articles = [
        {
            "id": "x",
            "publisher": "afp",
            "sentences": 10,
            "factual_sentences": 8,
            "unattributed_sentences": 2,
        }
    ]
    rows = audit(claims, articles, registry)
    [article] = [r for r in rows if r.scope == "article"]
    assert article.attributions == 4
    assert article.unattributed_share == 0.25
    assert article.anonymous_share == 0.25
    assert article.kinds == {"outlet": 2, "anonymous": 1, "organization": 1}
    assert (article.outlets, article.independent_outlets) == (2, 2)
    assert article.hhi == round((3 / 4) ** 2 + (1 / 4) ** 2, 3)  # 0.625
    assert article.state_affiliated_share == 0.75  # SANA is state media
    assert any("one source carries more than half" not in f for f in article.flags)
    assert any("state-affiliated" in f for f in article.flags)
    assert [r.scope for r in rows] == ["article", "publisher", "corpus"]
