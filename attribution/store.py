"""The SQLite store: articles, attributions and the append-only review log.

The only module with SQL. WAL mode, a busy timeout and short transactions let several
annotate runs and reviewers share one file; a write that still meets a lock is retried.
The review state of an attribution is derived from the log, never stored apart from it.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
import re
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Literal, TypeVar, get_args

from attribution.errors import AttributionError
from attribution.output import FIELDS, ArticleRecord, article_record
from attribution.pipeline import AnnotatedArticle

APPLICATION_ID = 0x41545452  # "ATTR": marks the file as ours (PRAGMA application_id)
Action = Literal[
    "confirm",
    "reject",
    "flag",
    "reassign_source",
    "link_outlet",
    "set_kind",
    "edit_claim",
    "note",
    "undo",
]
ACTIONS: tuple[str, ...] = get_args(Action)
STATUSES = ("pending", "confirmed", "rejected", "flagged")
BUSY_TIMEOUT_S = 30.0
RETRIES = 8

# Ordered migrations: the schema version is the number of migrations applied.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        content_hash TEXT NOT NULL,
        title TEXT, date TEXT, url TEXT, publisher TEXT, site_name TEXT, lang TEXT, path TEXT,
        text TEXT NOT NULL,
        sentences INTEGER NOT NULL DEFAULT 0,
        factual_sentences INTEGER NOT NULL DEFAULT 0,
        unattributed_sentences INTEGER NOT NULL DEFAULT 0,
        backend TEXT, registry_hash TEXT,
        annotated_at TEXT NOT NULL
    );
    CREATE TABLE attributions (
        id TEXT PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        sentence TEXT, claim TEXT NOT NULL, claim_start INTEGER, claim_end INTEGER,
        cue TEXT, cue_type TEXT, source TEXT, source_start INTEGER, source_end INTEGER,
        source_kind TEXT, source_resolved TEXT, source_description TEXT,
        outlet TEXT, via TEXT, direct_quote INTEGER NOT NULL, confidence REAL,
        backend TEXT, registry_hash TEXT,
        active INTEGER NOT NULL DEFAULT 1
    );
    CREATE INDEX attributions_article ON attributions(article_id, position);
    CREATE INDEX attributions_outlet ON attributions(outlet);
    CREATE TABLE review_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        attribution_id TEXT NOT NULL,
        article_id TEXT NOT NULL,
        reviewer TEXT NOT NULL,
        at TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('confirm', 'reject', 'flag', 'reassign_source',
            'link_outlet', 'set_kind', 'edit_claim', 'note', 'undo')),
        value TEXT
    );
    CREATE INDEX review_log_attribution ON review_log(attribution_id, seq);
    CREATE TRIGGER review_log_no_update BEFORE UPDATE ON review_log
        BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END;
    CREATE TRIGGER review_log_no_delete BEFORE DELETE ON review_log
        BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END;
    """,
    """
    CREATE TABLE review_position (
        reviewer TEXT PRIMARY KEY,
        article_id TEXT,
        attribution_id TEXT,
        at TEXT NOT NULL
    );
    """,
    """
    ALTER TABLE attributions ADD COLUMN outlet_match TEXT;
    """,
)

T = TypeVar("T")


class StoreError(AttributionError):
    """The database cannot be used: not ours, corrupt, read-only, full, or locked too long."""


@dataclass(frozen=True)
class SaveResult:
    article: str
    status: Literal["new", "unchanged", "updated"]
    added: int = 0
    vanished: tuple[str, ...] = ()  # attribution ids no longer found; their reviews are kept


@dataclass(frozen=True)
class ReviewEntry:
    seq: int
    attribution_id: str
    article_id: str
    reviewer: str
    at: str
    action: str
    value: str | None


@dataclass
class ReviewState:
    status: str = "pending"
    reviewer: str | None = None
    reviewed_at: str | None = None
    source: str | None = None  # a reassigned source
    outlet: str | None = None  # a linked outlet ("" when unlinked)
    kind: str | None = None
    claim: tuple[int, int] | None = None
    notes: list[str] = field(default_factory=list)


def derive_state(entries: Iterable[ReviewEntry]) -> ReviewState:
    """The current review state: the log replayed, undone entries skipped (an undo that is
    itself undone puts its entry back: that is a redo)."""
    entries = list(entries)
    undone: set[int] = set()
    for e in reversed(entries):  # later undos decide about earlier entries
        if e.action == "undo" and e.seq not in undone and e.value is not None:
            undone.add(int(e.value))
    state = ReviewState()
    for e in entries:
        if e.seq in undone or e.action == "undo" or _repeats(state, e):
            continue
        state.reviewer, state.reviewed_at = e.reviewer, e.at
        if e.action == "confirm":
            state.status = "confirmed"
        elif e.action == "reject":
            state.status = "rejected"
        elif e.action == "flag":
            state.status = "flagged"
        elif e.action == "reassign_source":
            state.source = e.value
        elif e.action == "link_outlet":
            state.outlet = e.value or ""
        elif e.action == "set_kind":
            state.kind = e.value
        elif e.action == "edit_claim" and e.value:
            start, end = (int(x) for x in e.value.split(":"))
            state.claim = (start, end)
        elif e.action == "note" and e.value:
            state.notes.append(e.value)
    return state


def reviewed(
    row: dict[str, Any], state: ReviewState, text: Callable[[], str | None]
) -> dict[str, Any]:
    """What an attribution is now: its extracted row with the review state applied. The one
    place that says it; every reader (exports, audit, the app's table and panels) reads it.

    A reassigned source replaces the source and, with it, what the extractor said of the
    old one (its antecedent and description); `claimant` is who the claim is attributed
    to: the source, or the antecedent it refers to."""
    row["direct_quote"] = bool(row["direct_quote"])
    row["review_status"] = state.status
    row["reviewer"] = state.reviewer
    row["reviewed_at"] = state.reviewed_at
    row["note"] = " | ".join(state.notes) or None
    if state.source is not None:
        row["source"] = state.source
        row["source_resolved"] = None
        row["source_description"] = None
    if state.outlet is not None:
        row["outlet"] = state.outlet or None
    if state.kind is not None:
        row["source_kind"] = state.kind
    if state.claim is not None:
        row["claim_start"], row["claim_end"] = state.claim
        row["claim"] = (text() or "")[state.claim[0] : state.claim[1]]
    row["claimant"] = row["source_resolved"] or row["source"]
    return row


_STATUS_OF = {"confirm": "confirmed", "reject": "rejected", "flag": "flagged"}


def _repeats(state: ReviewState, e: ReviewEntry) -> bool:
    """A decision the state already holds from the same reviewer (a second `c` on an
    attribution they confirmed): it changes nothing, not even when. Another reviewer's
    identical decision is theirs, and the state says who decided last."""
    if e.reviewer != state.reviewer:
        return False
    if e.action in _STATUS_OF:
        return state.status == _STATUS_OF[e.action]
    if e.action == "reassign_source":
        return state.source is not None and state.source == e.value
    if e.action == "link_outlet":
        return state.outlet is not None and state.outlet == (e.value or "")
    if e.action == "set_kind":
        return state.kind is not None and state.kind == e.value
    if e.action == "edit_claim" and e.value and state.claim is not None:
        return f"{state.claim[0]}:{state.claim[1]}" == e.value
    return False


class Store:
    """One SQLite file. Use as a context manager, or call `close()`."""

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        self.path = Path(path)
        if self.path.exists():
            _check_ours(self.path)
        elif not create:
            raise StoreError(f"{self.path}: no such database")
        try:
            self.db = sqlite3.connect(
                str(self.path),
                timeout=BUSY_TIMEOUT_S,
                isolation_level=None,
                check_same_thread=False,
            )
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            if self.db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                self._retry(lambda: self.db.execute("PRAGMA journal_mode = WAL"))
            self._migrate()
        except sqlite3.Error as err:
            raise StoreError(_describe(self.path, err)) from None

    # --- plumbing -----------------------------------------------------------------

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _retry(self, work: Callable[[], T]) -> T:
        for attempt in range(RETRIES):
            try:
                return work()
            except sqlite3.OperationalError as err:
                if "locked" not in str(err) and "busy" not in str(err):
                    raise StoreError(_describe(self.path, err)) from None
                time.sleep(0.05 * 2**attempt)
            except sqlite3.Error as err:
                raise StoreError(_describe(self.path, err)) from None
        raise StoreError(f"{self.path}: database stayed locked; try again")

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    def _write(self, work: Callable[[sqlite3.Connection], T]) -> T:
        def attempt() -> T:
            with self._transaction() as db:
                return work(db)

        return self._retry(attempt)

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise StoreError(
                f"{self.path}: made by a newer version of attribution (schema {version})"
            )
        for number in range(version, len(MIGRATIONS)):
            script = (
                "BEGIN IMMEDIATE;"
                + MIGRATIONS[number]
                + f"PRAGMA user_version = {number + 1};"
                + f"PRAGMA application_id = {APPLICATION_ID}; COMMIT;"
            )
            self._retry(partial(self.db.executescript, script))

    def check_writable(self) -> None:
        """Refuse now, rather than at the first write, a store that cannot be written."""
        self._write(lambda db: None)

    @property
    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    # --- articles and attributions ----------------------------------------------------

    def save(self, annotated: AnnotatedArticle | ArticleRecord) -> SaveResult:
        """Store an annotated article: unchanged content is a no-op; changed content keeps
        the reviews of attributions that survive and reports those that vanished."""
        record = annotated if isinstance(annotated, ArticleRecord) else article_record(annotated)
        article = record.article
        rows = [
            {**r, "position": k, "backend": record.backend}
            for k, r in enumerate(record.attributions)
        ]
        rows = _unique_ids(rows)
        stats = record.stats
        now = _now()

        def work(db: sqlite3.Connection) -> SaveResult:
            old = db.execute(
                "SELECT content_hash, registry_hash FROM articles WHERE id = ?", (article.id,)
            ).fetchone()
            if (
                old is not None
                and old["content_hash"] == article.content_hash
                and old["registry_hash"] == record.registry_hash
            ):
                return SaveResult(article.id, "unchanged")
            db.execute(
                """INSERT INTO articles (id, content_hash, title, date, url, publisher, site_name,
                       lang, path, text, sentences, factual_sentences, unattributed_sentences,
                       backend, registry_hash, annotated_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT(id) DO UPDATE SET content_hash = excluded.content_hash,
                       title = excluded.title, date = excluded.date, url = excluded.url,
                       publisher = excluded.publisher, site_name = excluded.site_name,
                       lang = excluded.lang, path = excluded.path, text = excluded.text,
                       sentences = excluded.sentences,
                       factual_sentences = excluded.factual_sentences,
                       unattributed_sentences = excluded.unattributed_sentences,
                       backend = excluded.backend, registry_hash = excluded.registry_hash,
                       annotated_at = excluded.annotated_at""",
                (
                    article.id,
                    article.content_hash,
                    article.title,
                    article.date,
                    article.url,
                    article.publisher,
                    article.site_name,
                    article.lang,
                    article.path,
                    article.original,  # what the offsets index
                    *stats,
                    record.backend,
                    record.registry_hash,
                    now,
                ),
            )
            before = {
                r["id"]
                for r in db.execute(
                    "SELECT id FROM attributions WHERE article_id = ? AND active = 1", (article.id,)
                )
            }
            db.execute("UPDATE attributions SET active = 0 WHERE article_id = ?", (article.id,))
            db.executemany(
                """INSERT INTO attributions (id, article_id, position, sentence, claim,
                       claim_start, claim_end, cue, cue_type, source, source_start, source_end,
                       source_kind, source_resolved, source_description, outlet, via,
                       outlet_match, direct_quote, confidence, backend, registry_hash, active)
                   VALUES (:attribution_id, :article, :position, :sentence, :claim,
                       :claim_start, :claim_end, :cue, :cue_type, :source, :source_start,
                       :source_end, :source_kind, :source_resolved, :source_description, :outlet,
                       :via, :outlet_match, :direct_quote, :confidence, :backend,
                       :registry_hash, 1)
                   ON CONFLICT(id) DO UPDATE SET position = excluded.position,
                       sentence = excluded.sentence, claim = excluded.claim,
                       claim_start = excluded.claim_start, claim_end = excluded.claim_end,
                       cue = excluded.cue, cue_type = excluded.cue_type,
                       source = excluded.source, source_start = excluded.source_start,
                       source_end = excluded.source_end, source_kind = excluded.source_kind,
                       source_resolved = excluded.source_resolved,
                       source_description = excluded.source_description,
                       outlet = excluded.outlet, via = excluded.via,
                       outlet_match = excluded.outlet_match,
                       direct_quote = excluded.direct_quote, confidence = excluded.confidence,
                       backend = excluded.backend, registry_hash = excluded.registry_hash,
                       active = 1""",
                rows,
            )
            now_ids = {r["attribution_id"] for r in rows}
            status: Literal["new", "updated"] = "new" if old is None else "updated"
            return SaveResult(
                article.id, status, len(now_ids - before), tuple(sorted(before - now_ids))
            )

        return self._write(work)

    def fingerprints(
        self, registry_hash: str, backend: str
    ) -> dict[str, tuple[str, str | None, str | None]]:
        """Per article annotated with this registry and backend: its content hash,
        publisher and language (what decides whether annotating it again can change it)."""
        rows = self._read(
            "SELECT id, content_hash, publisher, lang FROM articles"
            " WHERE registry_hash = ? AND backend = ?",
            (registry_hash, backend),
        )
        return {r["id"]: (r["content_hash"], r["publisher"], r["lang"]) for r in rows}

    def records(self, article_id: str) -> list[dict[str, Any]]:
        """An article's attributions as extracted (the output contract, no review applied),
        as `annotate` printed them."""
        rows = self._read(
            "SELECT * FROM attributions WHERE article_id = ? AND active = 1 ORDER BY position",
            (article_id,),
        )
        out = []
        for r in rows:
            stored = dict(r)  # a field this store has no column for (a newer one) is null
            row = {k: stored.get(k) for k in FIELDS}
            row.update(article=r["article_id"], attribution_id=r["id"])
            row["direct_quote"] = bool(row["direct_quote"])
            out.append(row)
        return out

    def article_ids(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT id FROM articles ORDER BY id")]

    def articles(self, article_id: str | None = None) -> list[dict[str, Any]]:
        """Every article (or one) with its metadata, sentence counts and attribution count."""
        where = "WHERE a.id = ?" if article_id is not None else ""
        query = f"""SELECT a.id, a.title, a.date, a.url, a.publisher, a.site_name, a.lang,
                   a.path, a.sentences, a.factual_sentences, a.unattributed_sentences,
                   a.annotated_at, a.registry_hash, COUNT(t.id) AS attributions
                   FROM articles a LEFT JOIN attributions t ON t.article_id = a.id AND t.active = 1
                   {where} GROUP BY a.id ORDER BY a.id"""
        params = (article_id,) if article_id is not None else ()
        return [dict(r) for r in self._read(query, params)]

    def article_text(self, article_id: str) -> str | None:
        row = self._read("SELECT text FROM articles WHERE id = ?", (article_id,))
        return row[0]["text"] if row else None

    def attributions(
        self,
        *,
        article: str | None = None,
        outlet: str | None = None,
        status: str | None = None,
        since: str | None = None,
        include_vanished: bool = False,
    ) -> list[dict[str, Any]]:
        """Attribution rows with their article's metadata and their current review state
        applied (reassigned source, linked outlet, kind, claim span)."""
        where, params = ["1 = 1"], []
        if not include_vanished:
            where.append("t.active = 1")
        if article is not None:
            where.append("t.article_id = ?")
            params.append(article)
        if since is not None:
            where.append("a.annotated_at >= ?")
            params.append(since)
        rows = self._read(
            f"""SELECT t.*, a.title AS article_title, a.date AS article_date,
                   a.url AS article_url, a.publisher AS publisher, a.annotated_at
                FROM attributions t JOIN articles a ON a.id = t.article_id
                WHERE {" AND ".join(where)} ORDER BY t.article_id, t.position""",
            params,
        )
        logs = self._logs(article) if rows else {}
        out = []
        for r in rows:
            state = derive_state(logs.get(r["id"], []))
            row = reviewed(dict(r), state, partial(self.article_text, r["article_id"]))
            if status is not None and row["review_status"] != status:
                continue
            if outlet is not None and outlet not in (row["outlet"], row["via"]):
                continue
            out.append(row)
        return out

    # --- reviews ------------------------------------------------------------------

    def review(
        self, attribution_id: str, action: Action, reviewer: str, value: str | None = None
    ) -> int:
        """Append one decision to the log, committed before this returns; its sequence number."""
        if action not in ACTIONS:
            raise StoreError(f"unknown review action {action!r}")
        if action == "edit_claim" and (value is None or not _is_span(value)):
            raise StoreError("edit_claim needs a value 'start:end'")

        def work(db: sqlite3.Connection) -> int:
            row = db.execute(
                "SELECT article_id FROM attributions WHERE id = ?", (attribution_id,)
            ).fetchone()
            if row is None:
                raise StoreError(f"no attribution {attribution_id!r} in {self.path}")
            cur = db.execute(
                """INSERT INTO review_log (attribution_id, article_id, reviewer, at, action, value)
                   VALUES (?, ?, ?, ?, ?, ?)""",
                (attribution_id, row["article_id"], reviewer, _now(), action, value),
            )
            return int(cur.lastrowid or 0)

        return self._write(work)

    def undo(self, seq: int, reviewer: str) -> int:
        """Undo one log entry (or, undoing an undo, redo it)."""
        entry = self._read("SELECT attribution_id FROM review_log WHERE seq = ?", (seq,))
        if not entry:
            raise StoreError(f"no review entry {seq}")
        return self.review(entry[0]["attribution_id"], "undo", reviewer, str(seq))

    def review_log(self, attribution_id: str | None = None) -> list[ReviewEntry]:
        if attribution_id is None:
            rows = self._read("SELECT * FROM review_log ORDER BY seq")
        else:
            rows = self._read(
                "SELECT * FROM review_log WHERE attribution_id = ? ORDER BY seq", (attribution_id,)
            )
        return [ReviewEntry(**dict(r)) for r in rows]

    def set_position(
        self, reviewer: str, article_id: str | None, attribution_id: str | None
    ) -> None:
        """Where a reviewer is, so that reopening the app lands there again."""
        self._write(
            lambda db: db.execute(
                """INSERT INTO review_position (reviewer, article_id, attribution_id, at)
                   VALUES (?, ?, ?, ?) ON CONFLICT(reviewer) DO UPDATE SET
                   article_id = excluded.article_id, attribution_id = excluded.attribution_id,
                   at = excluded.at""",
                (reviewer, article_id, attribution_id, _now()),
            )
        )

    def position(self, reviewer: str) -> tuple[str | None, str | None]:
        rows = self._read(
            "SELECT article_id, attribution_id FROM review_position WHERE reviewer = ?", (reviewer,)
        )
        return (rows[0]["article_id"], rows[0]["attribution_id"]) if rows else (None, None)

    def progress(self) -> dict[str, tuple[int, int]]:
        """Per article: (reviewed attributions, attributions), from the log."""
        totals = {
            r["article_id"]: r["n"]
            for r in self._read(
                "SELECT article_id, COUNT(*) AS n FROM attributions"
                " WHERE active = 1 GROUP BY article_id"
            )
        }
        done: dict[str, int] = {}
        for entries in self._logs().values():
            if derive_state(entries).status != "pending":
                done[entries[0].article_id] = done.get(entries[0].article_id, 0) + 1
        return {a: (done.get(a, 0), n) for a, n in totals.items()}

    def review_state(self, attribution_id: str) -> ReviewState:
        return derive_state(self.review_log(attribution_id))

    def _logs(self, article: str | None = None) -> dict[str, list[ReviewEntry]]:
        """The review log grouped by attribution (of one article, or of all)."""
        if article is None:
            rows = self._read("SELECT * FROM review_log ORDER BY seq")
        else:
            rows = self._read(
                "SELECT * FROM review_log WHERE article_id = ? ORDER BY seq", (article,)
            )
        logs: dict[str, list[ReviewEntry]] = {}
        for r in rows:
            logs.setdefault(r["attribution_id"], []).append(ReviewEntry(**dict(r)))
        return logs

    def _read(self, query: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        return self._retry(lambda: self.db.execute(query, params).fetchall())


def _unique_ids(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Two identical attributions in one article get distinct, still stable, ids."""
    seen: dict[str, int] = {}
    for row in rows:
        base = row["attribution_id"]
        n = seen.get(base, 0)
        seen[base] = n + 1
        if n:
            row["attribution_id"] = hashlib.blake2b(
                f"{base}#{n}".encode(), digest_size=8
            ).hexdigest()
    return rows


def _is_span(value: str) -> bool:
    parts = value.split(":")
    return len(parts) == 2 and all(p.isdigit() for p in parts) and int(parts[0]) < int(parts[1])


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _check_ours(path: Path) -> None:
    """Refuse a file that is not an attribution database, without writing to it."""
    if path.stat().st_size == 0:
        return
    try:
        with path.open("rb") as f:
            header = f.read(100)
    except OSError as err:
        raise StoreError(f"{path}: cannot read: {err.strerror or err}") from None
    if not header.startswith(b"SQLite format 3\x00"):
        raise StoreError(f"{path}: not an SQLite database (refusing to touch it)")
    try:  # read through SQLite: the header in the file may lag behind the write-ahead log
        probe = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            app_id = probe.execute("PRAGMA application_id").fetchone()[0]
            version = probe.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in probe.execute("SELECT name FROM sqlite_master")}
            ok = probe.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            probe.close()
    except sqlite3.DatabaseError as err:
        raise StoreError(_describe(path, err)) from None
    if ok != "ok":
        raise StoreError(f"{path}: corrupt database ({ok}); the file was left as it is")
    if app_id != APPLICATION_ID and (app_id != 0 or tables):
        raise StoreError(f"{path}: an SQLite database of another program (refusing to touch it)")
    missing = [t for t in _tables(version) if t not in tables] if app_id == APPLICATION_ID else []
    if missing:
        raise StoreError(
            f"{path}: not an attribution database: table {missing[0]} is missing "
            "(refusing to touch it)"
        )


def _tables(version: int) -> list[str]:
    """The tables the first `version` migrations create."""
    return [
        name
        for script in MIGRATIONS[:version]
        for name in re.findall(r"CREATE TABLE (\w+)", script)
    ]


def _describe(path: Path, err: sqlite3.Error) -> str:
    """What went wrong, as the user can act on it. SQLite says "unable to open database
    file" for a read-only directory and "disk I/O error" for a full disk (it cannot make
    the files beside the database): the directory tells which."""
    message = str(err)
    if "not a database" in message or "malformed" in message or "corrupt" in message:
        return f"{path}: corrupt database ({message}); the file was left as it is"
    if "full" in message or _disk_full(path):
        return f"{path}: the disk is full; nothing was written"
    if "readonly" in message or "read-only" in message:
        return f"{path}: the database is read-only; nothing was written"
    if _read_only_directory(path):
        return (
            f"{path}: cannot open: its directory is read-only (SQLite writes beside the "
            "database; this is not corruption); copy the database to a writable directory"
        )
    return f"{path}: database error: {message}"


def _disk_full(path: Path) -> bool:
    try:
        return os.statvfs(path.parent).f_bavail == 0
    except OSError:
        return False


def _read_only_directory(path: Path) -> bool:
    try:
        with tempfile.TemporaryFile(dir=path.parent):
            return False
    except OSError as err:
        return err.errno in (errno.EROFS, errno.EACCES, errno.EPERM)
