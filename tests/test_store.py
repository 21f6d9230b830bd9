"""The SQLite store: migrations, re-annotation, the review log, concurrency, bad files."""

from __future__ import annotations

import hashlib
import multiprocessing
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from attribution.errors import AttributionError
from attribution.model import Article
from attribution.pipeline import AnnotatedArticle, Annotator
from attribution.registry import load_registry
from attribution.store import MIGRATIONS, Store, StoreError
from tests.conftest import conllu

TEXT = "Le ministère de la Santé a affirmé que le pont tenait toujours."


def annotated(text_name: str = "verb_que", article_id: str = "a1") -> AnnotatedArticle:
    parse = conllu(text_name)
    article = Article(id=article_id, text=parse.text, title="Le pont", publisher="afp", lang="fr")
    return Annotator(load_registry(use_user_file=False)).annotate_parse(article, parse, "conllu")


def test_a_new_file_gets_every_migration(tmp_path: Path) -> None:
    with Store(tmp_path / "a.db") as store:
        assert store.schema_version == len(MIGRATIONS)
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with Store(tmp_path / "a.db") as store:  # reopening migrates nothing
        assert store.schema_version == len(MIGRATIONS)


def test_unchanged_article_is_a_no_op_and_reviews_survive_a_changed_one(tmp_path: Path) -> None:
    with Store(tmp_path / "a.db") as store:
        first = annotated()
        assert store.save(first).status == "new"
        [row] = store.attributions()
        store.review(row["id"], "confirm", "alice")
        assert store.save(first).status == "unchanged"
        # the article grows a paragraph: the first attribution keeps its id and its review
        longer = conllu("verb_que")
        grown = replace(
            first,
            article=replace(first.article, text=longer.text + " Il pleut."),
        )
        result = store.save(grown)
        assert (result.status, result.vanished) == ("updated", ())
        [row] = store.attributions()
        assert row["review_status"] == "confirmed"
        # the attribution disappears from the text: reported, and its review is kept
        other = annotated("dapres")
        gone = store.save(replace(other, article=replace(other.article, id="a1")))
        assert gone.vanished == (row["id"],)
        assert [e.action for e in store.review_log(row["id"])] == ["confirm"]


def test_review_state_is_derived_from_the_log_with_undo_and_redo(tmp_path: Path) -> None:
    with Store(tmp_path / "a.db") as store:
        store.save(annotated())
        [row] = store.attributions()
        aid = row["id"]
        store.review(aid, "reject", "alice")
        flag = store.review(aid, "flag", "bob")
        store.review(aid, "note", "bob", "check with the ministry")
        store.review(aid, "link_outlet", "bob", "afp")
        assert store.review_state(aid).status == "flagged"
        undo = store.undo(flag, "bob")
        assert store.review_state(aid).status == "rejected"
        store.undo(undo, "bob")  # redo
        state = store.review_state(aid)
        assert (state.status, state.outlet, state.notes) == (
            "flagged",
            "afp",
            ["check with the ministry"],
        )
        [row] = store.attributions(status="flagged")
        assert (row["outlet"], row["note"], row["reviewer"]) == (
            "afp",
            "check with the ministry",
            "bob",
        )
        assert [e.action for e in store.review_log(aid)] == [
            "reject",
            "flag",
            "note",
            "link_outlet",
            "undo",
            "undo",
        ]


def test_the_review_log_is_append_only(tmp_path: Path) -> None:
    with Store(tmp_path / "a.db") as store:
        store.save(annotated())
        [row] = store.attributions()
        store.review(row["id"], "confirm", "alice")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            store.db.execute("DELETE FROM review_log")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            store.db.execute("UPDATE review_log SET action = 'reject'")


def test_edit_claim_needs_a_span(tmp_path: Path) -> None:
    with Store(tmp_path / "a.db") as store:
        store.save(annotated())
        [row] = store.attributions()
        with pytest.raises(StoreError, match="start:end"):
            store.review(row["id"], "edit_claim", "alice", "oops")
        store.review(row["id"], "edit_claim", "alice", "39:46")
        [row] = store.attributions()
        assert row["claim"] == "le pont"


def _reviewer(path: str, name: str, rounds: int) -> None:
    with Store(path) as store:
        [row] = store.attributions()
        for k in range(rounds):
            store.review(row["id"], "confirm" if k % 2 else "reject", name)
            store.save(annotated(article_id=f"{name}-{k}"))


def test_two_writers_at_once_lose_nothing(tmp_path: Path) -> None:
    path = str(tmp_path / "a.db")
    with Store(path) as store:
        store.save(annotated())
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_reviewer, args=(path, name, 25)) for name in ("alice", "bob")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    with Store(path) as store:
        log = store.review_log()
        assert len(log) == 50
        assert {e.reviewer for e in log} == {"alice", "bob"}
        assert len(store.article_ids()) == 51
        # last decision wins, both kept in the history
        assert store.review_state(log[0].attribution_id).reviewer == log[-1].reviewer


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_corrupt_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    path.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 20)
    before = digest(path)
    with pytest.raises(StoreError, match=r"corrupt|another program"):
        Store(path)
    assert digest(path) == before


def test_a_foreign_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE invoices (id INTEGER)")
    db.commit()
    db.close()
    before = digest(path)
    with pytest.raises(StoreError, match="another program"):
        Store(path)
    assert digest(path) == before


def test_not_a_database_at_all(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("my notes", encoding="utf-8")
    with pytest.raises(AttributionError, match="not an SQLite database"):
        Store(path)
    assert path.read_text(encoding="utf-8") == "my notes"
