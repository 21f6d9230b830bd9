"""The store on both backends (SQLite and PostgreSQL, the `target` fixture): migrations,
re-annotation, the review log, concurrency, bad files and bad URLs."""

from __future__ import annotations

import hashlib
import multiprocessing
import sqlite3
from dataclasses import replace
from pathlib import Path

import psycopg
import pytest

from attribution.errors import AttributionError
from attribution.model import Article
from attribution.pipeline import AnnotatedArticle, Annotator
from attribution.registry import load_registry
from attribution.store import (
    APPLICATION_ID,
    MIGRATIONS,
    TABLES,
    ReviewPolicy,
    SQLiteStore,
    Store,
    StoreError,
    is_database_url,
)
from tests.conftest import conllu, new_target, pg_schema, pg_url, require_pg

TEXT = "Le ministère de la Santé a affirmé que le pont tenait toujours."


def annotated(text_name: str = "verb_que", article_id: str = "a1") -> AnnotatedArticle:
    parse = conllu(text_name)
    article = Article(id=article_id, text=parse.text, title="Le pont", publisher="afp", lang="fr")
    return Annotator(load_registry(use_user_file=False)).annotate_parse(article, parse, "conllu")


def test_a_new_store_gets_every_migration(target: str) -> None:
    with Store(target) as store:
        assert store.schema_version == len(MIGRATIONS)
    with Store(target) as store:  # reopening migrates nothing
        assert store.schema_version == len(MIGRATIONS)


def test_an_sqlite_store_is_in_wal_mode(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "a.db") as store:
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_unchanged_article_is_a_no_op_and_reviews_survive_a_changed_one(target: str) -> None:
    with Store(target) as store:
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


def test_review_state_is_derived_from_the_log_with_undo_and_redo(target: str) -> None:
    with Store(target) as store:
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


def raw_execute(target: str, sql: str) -> None:
    """SQL straight to the database, past the store."""
    if is_database_url(target):
        with psycopg.connect(target) as conn:
            conn.execute(sql)
        return
    db = sqlite3.connect(target)
    try:
        db.execute(sql)
        db.commit()
    finally:
        db.close()


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM review_log",
        "UPDATE review_log SET action = 'reject'",
        "UPDATE review_log SET reviewer = 'mallory'",
    ],
)
def test_the_review_log_is_append_only(target: str, sql: str) -> None:
    with Store(target) as store:
        store.save(annotated())
        [row] = store.attributions()
        store.review(row["id"], "confirm", "alice")
        with pytest.raises((sqlite3.IntegrityError, psycopg.Error), match="append-only"):
            raw_execute(target, sql)
        assert [(e.action, e.reviewer) for e in store.review_log()] == [("confirm", "alice")]


def test_edit_claim_needs_a_span(target: str) -> None:
    with Store(target) as store:
        store.save(annotated())
        [row] = store.attributions()
        with pytest.raises(StoreError, match="start:end"):
            store.review(row["id"], "edit_claim", "alice", "oops")
        store.review(row["id"], "edit_claim", "alice", "39:46")
        [row] = store.attributions()
        assert row["claim"] == "le pont"


def _reviewer(path: str, name: str, rounds: int) -> None:
    with Store(path) as store:
        [row] = store.attributions(article="a1")  # the other may have saved its own by now
        for k in range(rounds):
            store.review(row["id"], "confirm" if k % 2 else "reject", name)
            store.save(annotated(article_id=f"{name}-{k}"))


def test_two_writers_at_once_lose_nothing(target: str) -> None:
    path = target
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
        # the last decision wins (a repeat of it changes nothing), both kept in the history
        status = {"confirm": "confirmed", "reject": "rejected"}[log[-1].action]
        assert store.review_state(log[0].attribution_id).status == status
        assert store.review_state(log[0].attribution_id).verdicts.keys() == {"alice", "bob"}


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


def test_a_postgresql_database_of_another_program_is_refused() -> None:
    with pg_schema() as schema:
        raw_execute(pg_url(schema), "CREATE TABLE invoices (id INTEGER)")
        with pytest.raises(StoreError, match="another program"):
            Store(pg_url(schema))
        with psycopg.connect(pg_url(schema)) as conn:  # left as it was
            tables = conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
                (schema,),
            ).fetchall()
        assert tables == [("invoices",)]


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("postgresql://ana:s3cret@127.0.0.1:1/news", "cannot connect"),
        ("postgresql://ana:s3cret@/news?host=/nonexistent-dir", "cannot connect"),
        ("postgresql://ana@/news?host=/nonexistent-dir&password=s3cret", "cannot connect"),
        ("mysql://ana:s3cret@127.0.0.1/news", "unsupported database URL"),
    ],
)
def test_a_bad_or_unreachable_url_is_one_line_without_the_password(url: str, why: str) -> None:
    with pytest.raises(StoreError, match=why) as caught:
        Store(url)
    message = str(caught.value)
    assert "s3cret" not in message
    assert "\n" not in message
    assert message.startswith(url.split("s3cret")[0].split("?")[0].replace("ana:", "ana"))


def test_the_cli_names_an_unreachable_server_without_a_traceback(tmp_path: Path) -> None:
    import subprocess
    import sys

    url = "postgresql://ana:s3cret@127.0.0.1:1/news"
    for args in (["audit", "--db", url], ["export", "--claims", "c.csv", "--db", url]):
        done = subprocess.run(
            [sys.executable, "-m", "attribution.cli", *args],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            check=False,
        )
        assert done.returncode == 1
        assert done.stderr.startswith(
            "error: postgresql://ana:***@127.0.0.1:1/news: cannot connect"
        )
        assert len(done.stderr.splitlines()) == 1
        assert "s3cret" not in done.stderr


def test_a_read_only_postgresql_database_says_so() -> None:
    with pg_schema() as schema:
        with Store(pg_url(schema)) as store:
            store.save(annotated())
            [row] = store.attributions()
        with Store(pg_url(schema, default_transaction_read_only="on")) as store:
            with pytest.raises(StoreError, match="read-only; nothing was written"):
                store.check_writable()
            with pytest.raises(StoreError, match="read-only; nothing was written"):
                store.review(row["id"], "confirm", "alice")
            assert len(store.attributions()) == 1
            assert store.review_log() == []


# --- the team: roles, second reviews, disputes, adjudication ------------------------------


def test_two_reviewers_who_disagree_make_a_dispute_an_adjudicator_settles(target: str) -> None:
    with Store(target) as store:
        store.save(annotated())
        [row] = store.attributions()
        aid = row["id"]
        store.review(aid, "confirm", "alice")
        store.review(aid, "reject", "bob")
        [row] = store.attributions()
        assert row["verdicts"] == {"alice": "confirmed", "bob": "rejected"}
        assert (row["disputed"], row["needs_adjudication"]) == (True, True)
        assert store.queues("carol")["a1"].needs_adjudication == 1
        with pytest.raises(StoreError, match="not an adjudicator"):
            store.review(aid, "confirm", "carol", adjudicate=True)
        store.set_role("carol", "adjudicator")
        assert store.roles() == {"carol": "adjudicator"}
        seq = store.review(aid, "confirm", "carol", adjudicate=True)
        [row] = store.attributions()
        assert (row["review_status"], row["reviewer"], row["needs_adjudication"]) == (
            "confirmed",
            "carol",
            False,
        )
        assert row["disputed"]  # still a disagreement between the reviewers, now settled
        assert store.review_log()[-1].role == "adjudicator"
        store.review(aid, "reject", "bob")  # a later verdict does not unsettle it
        assert store.review_state(aid).status == "confirmed"
        store.undo(seq, "carol")  # an undone adjudication reopens the dispute
        assert store.review_state(aid).needs_adjudication


def test_the_policy_asks_a_second_review_for_flagged_and_low_confidence_claims(
    target: str,
) -> None:
    with Store(target) as store:
        store.save(annotated())
        [row] = store.attributions()
        aid = row["id"]
        store.review(aid, "flag", "alice")
        [row] = store.attributions()
        assert not row["needs_second_review"]  # no policy yet: one review will do
        assert store.queues("bob")["a1"].needs_me == 0
        store.set_policy(ReviewPolicy(second_review=True, confidence_below=0.1))
        assert store.policy() == ReviewPolicy(second_review=True, confidence_below=0.1)
        [row] = store.attributions()
        assert row["needs_second_review"]
        assert store.queues("bob")["a1"].needs_me == 1
        assert store.queues("alice")["a1"].needs_me == 0  # not by the same person
        store.review(aid, "flag", "bob")
        [row] = store.attributions()
        assert (row["needs_second_review"], row["disputed"]) == (False, False)
        # a confirmed claim below the confidence threshold needs a second look too
        store.save(annotated("dapres", "a2"))
        [other] = store.attributions(article="a2")
        store.review(other["id"], "confirm", "alice")
        store.set_policy(ReviewPolicy(second_review=True, confidence_below=1.01))
        assert store.queues("bob")["a2"].needs_me == 1
        store.set_policy(ReviewPolicy(second_review=True, confidence_below=0.0))
        assert store.queues("bob")["a2"].needs_me == 0


def test_an_unknown_role_is_refused(target: str) -> None:
    with Store(target) as store, pytest.raises(StoreError, match="role"):
        store.set_role("carol", "boss")  # type: ignore[arg-type]


# --- moving a workspace ------------------------------------------------------------


def fill(store: Store) -> None:
    store.save(annotated())
    store.save(annotated("dapres", "a2"))
    store.save(annotated("selon_preposed", "a3"))
    rows = store.attributions()
    store.review(rows[0]["id"], "confirm", "alice")
    undone = store.review(rows[0]["id"], "reject", "bob")
    store.undo(undone, "bob")
    store.review(rows[1]["id"], "note", "alice", "appeler l'AFP")
    store.review(rows[1]["id"], "link_outlet", "alice", "afp")
    store.review(rows[-1]["id"], "edit_claim", "bob", "0:5")
    store.set_position("alice", "a2", rows[1]["id"])
    store.set_role("carol", "adjudicator")
    store.set_policy(ReviewPolicy(second_review=True, confidence_below=0.75))


def test_a_workspace_moves_between_backends_and_back_unchanged(tmp_path: Path) -> None:
    require_pg()
    with (
        new_target("sqlite", tmp_path, "first") as first,
        new_target("postgresql", tmp_path) as server,
        new_target("sqlite", tmp_path, "back") as back,
    ):
        with Store(first) as store:
            fill(store)
            tables = {t: store.dump(t) for t in TABLES}
        with Store(server) as store, Store(first) as source:
            counts = store.copy_from(source)
            assert counts["review_log"] == 6
            assert {t: store.dump(t) for t in TABLES} == tables
            store.review(store.attributions()[0]["id"], "flag", "dan")  # seqs go on after
            assert store.review_log()[-1].seq == 7
        with Store(back) as store, Store(server) as source:
            store.copy_from(source)
            assert store.review_log()[-1].seq == 7
            with pytest.raises(StoreError, match="empty store"):
                store.copy_from(source)


def test_moving_a_workspace_keeps_every_export_byte_for_byte(tmp_path: Path) -> None:
    """SQLite → PostgreSQL → SQLite with `attribution import`: the claims, sources and audit
    exports are the same bytes at each step."""
    import subprocess
    import sys

    require_pg()

    def cli(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "attribution.cli", *args],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def exports(db: str, name: str) -> list[bytes]:
        claims, sources = tmp_path / f"{name}-claims.csv", tmp_path / f"{name}-sources.csv"
        cli("export", "--db", db, "--claims", str(claims), "--sources", str(sources))
        audit = cli("audit", "--db", db, "--format", "csv").encode()
        agreement = cli("agreement", "--db", db, "--format", "json").encode()
        return [claims.read_bytes(), sources.read_bytes(), audit, agreement]

    with (
        new_target("sqlite", tmp_path, "first") as first,
        new_target("postgresql", tmp_path) as server,
        new_target("sqlite", tmp_path, "back") as back,
    ):
        with Store(first) as store:
            fill(store)
            store.review(store.attributions()[0]["id"], "reject", "dan")  # a dispute
        before = exports(first, "first")
        cli("import", first, "--db", server)
        assert exports(server, "server") == before
        cli("import", server, "--db", back)
        assert exports(back, "back") == before
        assert len(before[0].splitlines()) > 1


def test_an_sqlite_store_of_an_older_version_is_migrated_with_its_log(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = sqlite3.connect(path)
    for number in range(2):  # a store made before the team migration
        db.executescript(MIGRATIONS[number])
    db.execute("PRAGMA user_version = 2")
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.commit()
    db.close()
    with Store(path) as store:
        assert store.schema_version == len(MIGRATIONS)
        store.save(annotated())
        [row] = store.attributions()
        store.review(row["id"], "confirm", "alice")
        assert store.review_log()[0].role == "reviewer"


def test_a_decision_on_an_unknown_attribution_is_refused(target: str) -> None:
    with Store(target) as store:
        with pytest.raises(StoreError, match="no attribution 'nope'"):
            store.review("nope", "confirm", "alice")
        assert store.review_log() == []
