"""The store: articles, attributions and the append-only review log, on SQLite or PostgreSQL.

`Store(target)` opens an SQLite file (the embedded default, one person or a few on one
machine) or, for a `postgresql://` URL, a PostgreSQL database (the team store, see
`attribution.store_pg`). Both have the same schema, migrations and behaviour: every method
below is written once, against a transaction (`Tx`) whose SQL uses `?` and `:name`
placeholders; each backend only says how to connect, run a transaction and name an error.

Short transactions, retried on a lock or a serialization failure, let several annotate
runs and reviewers share one store. The review state of an attribution is derived from the
log, never stored apart from it, so two reviewers acting at once cannot overwrite each other.
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
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar, get_args
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from attribution.errors import AttributionError
from attribution.output import FIELDS, ArticleRecord, article_record

if TYPE_CHECKING:  # the pipeline (and its parser) is not needed to read a store
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
Role = Literal["reviewer", "adjudicator"]
ROLES: tuple[str, ...] = get_args(Role)
BUSY_TIMEOUT_S = 30.0
RETRIES = 8
DEFAULT_CONFIDENCE_BELOW = 0.6
URL_SCHEMES = ("postgresql", "postgres")

# Ordered migrations: the schema version is the number of migrations applied. The
# PostgreSQL backend has the same list in its own dialect (store_pg.MIGRATIONS).
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
    ALTER TABLE review_log ADD COLUMN role TEXT NOT NULL DEFAULT 'reviewer'
        CHECK (role IN ('reviewer', 'adjudicator'));
    CREATE TABLE reviewers (
        name TEXT PRIMARY KEY,
        role TEXT NOT NULL CHECK (role IN ('reviewer', 'adjudicator')),
        at TEXT NOT NULL
    );
    CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    """
    ALTER TABLE attributions ADD COLUMN outlet_match TEXT;
    """,
)
# What a workspace copy moves, in an order that satisfies the foreign keys.
TABLES = ("articles", "attributions", "review_log", "review_position", "reviewers", "settings")
TABLE_ORDER = {
    "articles": "id",
    "attributions": "id",
    "review_log": "seq",
    "review_position": "reviewer",
    "reviewers": "name",
    "settings": "key",
}

T = TypeVar("T")
Params = Sequence[Any] | Mapping[str, Any]


class StoreError(AttributionError):
    """The database cannot be used: not ours, corrupt, read-only, full, unreachable, or
    locked too long."""


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
    role: str = "reviewer"  # "adjudicator": a decision that settles a dispute


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
    # each reviewer's own current verdict (status, when decided); adjudications apart
    verdicts: dict[str, tuple[str, str]] = field(default_factory=dict)
    adjudicated: str | None = None  # the status an adjudicator settled it on

    @property
    def disputed(self) -> bool:
        """Two reviewers' current verdicts differ."""
        return len({status for status, _ in self.verdicts.values()}) > 1

    @property
    def needs_adjudication(self) -> bool:
        return self.disputed and self.adjudicated is None


@dataclass(frozen=True)
class ReviewPolicy:
    """Whether flagged and low-confidence claims need a second, independent review."""

    second_review: bool = False
    confidence_below: float = DEFAULT_CONFIDENCE_BELOW

    def needs_second_review(self, state: ReviewState, confidence: float | None) -> bool:
        if not self.second_review or state.adjudicated is not None or len(state.verdicts) >= 2:
            return False
        if not state.verdicts:
            return False  # a first review comes first
        flagged = state.status == "flagged" or any(
            status == "flagged" for status, _ in state.verdicts.values()
        )
        low = confidence is not None and confidence < self.confidence_below
        return flagged or low


@dataclass(frozen=True)
class Queue:
    """An article's team queues, for one reviewer."""

    needs_me: int = 0  # attributions this reviewer should review
    disputed: int = 0  # reviewers disagree (settled or not)
    needs_adjudication: int = 0  # reviewers disagree and no adjudicator has settled it


_STATUS_OF = {"confirm": "confirmed", "reject": "rejected", "flag": "flagged"}


def derive_state(entries: Iterable[ReviewEntry]) -> ReviewState:
    """The current review state: the log replayed, undone entries skipped (an undo that is
    itself undone puts its entry back: that is a redo). The last decision sets the status,
    unless an adjudicator has settled it; each reviewer's last decision is their verdict."""
    entries = list(entries)
    undone: set[int] = set()
    for e in reversed(entries):  # later undos decide about earlier entries
        if e.action == "undo" and e.seq not in undone and e.value is not None:
            undone.add(int(e.value))
    state = ReviewState()
    for e in entries:
        if e.seq in undone or e.action == "undo":
            continue
        status = _STATUS_OF.get(e.action)
        if status is not None and e.role == "adjudicator":
            state.adjudicated = status
            state.status, state.reviewer, state.reviewed_at = status, e.reviewer, e.at
            continue
        if status is not None:
            state.verdicts[e.reviewer] = (status, e.at)
            if state.adjudicated is not None:
                continue  # settled: a later verdict counts for agreement, not for the status
        if _repeats(state, e):
            continue
        state.reviewer, state.reviewed_at = e.reviewer, e.at
        if status is not None:
            state.status = status
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


def is_database_url(target: str | Path) -> bool:
    return isinstance(target, str) and urlsplit(target).scheme.lower() in URL_SCHEMES


def redact(target: str | Path) -> str:
    """The target as it may be shown: a URL without its password."""
    text = str(target)
    if "://" not in text:
        return text
    try:
        parts = urlsplit(text)
        if parts.password is None and "password" not in dict(parse_qsl(parts.query)):
            return text
        netloc = parts.netloc
        if parts.password is not None:
            userinfo, _, host = netloc.rpartition("@")
            netloc = f"{userinfo.split(':', 1)[0]}:***@{host}"
        query = urlencode(
            [(k, "***" if k == "password" else v) for k, v in parse_qsl(parts.query)],
            safe="/*",
            quote_via=quote,
        )
        return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
    except ValueError:
        return text.split("://", 1)[0] + "://…"


class Tx(Protocol):
    """One transaction of a backend. SQL uses `?` and `:name` placeholders."""

    def one(self, sql: str, params: Params = ()) -> dict[str, Any] | None: ...

    def all(self, sql: str, params: Params = ()) -> list[dict[str, Any]]: ...

    def run(self, sql: str, params: Params = ()) -> None: ...

    def many(self, sql: str, rows: Sequence[Params]) -> None: ...


class Store:
    """An attribution store. `Store(path)` opens (or makes) an SQLite file, `Store(url)` a
    PostgreSQL database. Use as a context manager, or call `close()`."""

    target: str  # what to open again for a connection of one's own (the URL has the password)
    location: str  # what to show: the path, or the URL without its password

    def __new__(cls, target: str | Path, *, create: bool = True) -> Store:
        if cls is Store:
            if is_database_url(target):
                from attribution.store_pg import PostgresStore

                cls = PostgresStore
            elif isinstance(target, str) and "://" in target:
                scheme = target.split("://", 1)[0]
                raise StoreError(
                    f"{redact(target)}: unsupported database URL scheme {scheme!r} "
                    "(use a file path, or postgresql://user@host/dbname)"
                )
            else:
                cls = SQLiteStore
        return super().__new__(cls)

    # --- what a backend provides (SQLiteStore, store_pg.PostgresStore) -----------------

    def close(self) -> None:
        raise NotImplementedError

    def _write(self, work: Callable[[Tx], T]) -> T:
        """Run `work` in one write transaction, retried when another writer is in the way."""
        raise NotImplementedError

    def _read_all(self, query: str, params: Params = ()) -> list[dict[str, Any]]:
        raise NotImplementedError

    @property
    def schema_version(self) -> int:
        raise NotImplementedError

    def _after_copy(self, tx: Tx) -> None:
        """Bring counters up to the rows a workspace copy inserted."""

    # --- plumbing -----------------------------------------------------------------

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def check_writable(self) -> None:
        """Refuse now, rather than at the first write, a store that cannot be written."""
        self._write(lambda tx: tx.run("UPDATE settings SET value = value WHERE key = ''"))

    def _read(self, query: str, params: Params = ()) -> list[dict[str, Any]]:
        return self._read_all(query, params)

    # --- articles and attributions ----------------------------------------------------

    def save(self, annotated: AnnotatedArticle | ArticleRecord) -> SaveResult:
        """Store an annotated article: unchanged content is a no-op; changed content keeps
        the reviews of attributions that survive and reports those that vanished."""
        record = annotated if isinstance(annotated, ArticleRecord) else article_record(annotated)
        article = record.article
        rows = [
            {
                **r,
                "position": k,
                "backend": record.backend,
                "direct_quote": int(bool(r["direct_quote"])),
            }
            for k, r in enumerate(record.attributions)
        ]
        rows = _unique_ids(rows)
        stats = record.stats
        now = _now()

        def work(tx: Tx) -> SaveResult:
            old = tx.one(
                "SELECT content_hash, registry_hash FROM articles WHERE id = ?", (article.id,)
            )
            if (
                old is not None
                and old["content_hash"] == article.content_hash
                and old["registry_hash"] == record.registry_hash
            ):
                return SaveResult(article.id, "unchanged")
            tx.run(
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
                for r in tx.all(
                    "SELECT id FROM attributions WHERE article_id = ? AND active = 1", (article.id,)
                )
            }
            tx.run("UPDATE attributions SET active = 0 WHERE article_id = ?", (article.id,))
            tx.many(
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
        return [r["id"] for r in self._read("SELECT id FROM articles ORDER BY id")]

    def articles(self, article_id: str | None = None) -> list[dict[str, Any]]:
        """Every article (or one) with its metadata, sentence counts and attribution count."""
        where = "WHERE a.id = ?" if article_id is not None else ""
        query = f"""SELECT a.id, a.title, a.date, a.url, a.publisher, a.site_name, a.lang,
                   a.path, a.sentences, a.factual_sentences, a.unattributed_sentences,
                   a.annotated_at, a.registry_hash, COUNT(t.id) AS attributions
                   FROM articles a LEFT JOIN attributions t ON t.article_id = a.id AND t.active = 1
                   {where} GROUP BY a.id ORDER BY a.id"""
        params = (article_id,) if article_id is not None else ()
        return self._read(query, params)

    def article_list(self) -> list[dict[str, Any]]:
        """Every article's id, title, date and publisher: what a list of articles shows
        (articles() also counts each one's attributions, which a list need not wait for)."""
        return self._read("SELECT id, title, date, publisher FROM articles ORDER BY id")

    def article_text(self, article_id: str) -> str | None:
        row = self._read("SELECT text FROM articles WHERE id = ?", (article_id,))
        return str(row[0]["text"]) if row else None

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
        applied (reassigned source, linked outlet, kind, claim span), and the team's view of
        it (`verdicts`, `disputed`, `needs_adjudication`, `needs_second_review`)."""
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
        policy = self.policy() if rows else ReviewPolicy()
        out = []
        for r in rows:
            state = derive_state(logs.get(r["id"], []))
            row = reviewed(dict(r), state, partial(self.article_text, r["article_id"]))
            row["verdicts"] = {name: v for name, (v, _) in state.verdicts.items()}
            row["disputed"] = state.disputed
            row["adjudicated"] = state.adjudicated is not None
            row["needs_adjudication"] = state.needs_adjudication
            row["needs_second_review"] = policy.needs_second_review(state, row["confidence"])
            if status is not None and row["review_status"] != status:
                continue
            if outlet is not None and outlet not in (row["outlet"], row["via"]):
                continue
            out.append(row)
        return out

    # --- reviews ------------------------------------------------------------------

    def review(
        self,
        attribution_id: str,
        action: Action,
        reviewer: str,
        value: str | None = None,
        *,
        adjudicate: bool = False,
    ) -> int:
        """Append one decision to the log, committed before this returns; its sequence number.
        With `adjudicate`, the decision of an adjudicator that settles a dispute."""
        if action not in ACTIONS:
            raise StoreError(f"unknown review action {action!r}")
        if action == "edit_claim" and (value is None or not _is_span(value)):
            raise StoreError("edit_claim needs a value 'start:end'")
        if adjudicate and action not in _STATUS_OF:
            raise StoreError("only confirm, reject and flag can settle a dispute")

        def work(tx: Tx) -> int:
            role = "reviewer"
            if adjudicate:
                held = tx.one("SELECT role FROM reviewers WHERE name = ?", (reviewer,))
                if held is None or held["role"] != "adjudicator":
                    raise StoreError(
                        f"{reviewer} is not an adjudicator of {self.location} "
                        f"(attribution team role {reviewer} adjudicator)"
                    )
                role = "adjudicator"
            # one statement: a decision costs the server one round trip and one commit
            row = tx.one(
                """INSERT INTO review_log
                       (attribution_id, article_id, reviewer, at, action, value, role)
                   SELECT id, article_id, ?, ?, ?, ?, ? FROM attributions WHERE id = ?
                   RETURNING seq""",
                (reviewer, _now(), action, value, role, attribution_id),
            )
            if row is None:
                raise StoreError(f"no attribution {attribution_id!r} in {self.location}")
            return int(row["seq"])

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
        return [ReviewEntry(**r) for r in rows]

    def set_position(
        self, reviewer: str, article_id: str | None, attribution_id: str | None
    ) -> None:
        """Where a reviewer is, so that reopening the app lands there again."""
        self._write(
            lambda tx: tx.run(
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
            r["article_id"]: int(r["n"])
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
            logs.setdefault(r["attribution_id"], []).append(ReviewEntry(**r))
        return logs

    # --- the team: roles, the second-review policy, queues ----------------------------

    def roles(self) -> dict[str, str]:
        return {r["name"]: r["role"] for r in self._read("SELECT name, role FROM reviewers")}

    def set_role(self, name: str, role: Role) -> None:
        if role not in ROLES:
            raise StoreError(f"a role is one of {', '.join(ROLES)}, not {role!r}")
        self._write(
            lambda tx: tx.run(
                """INSERT INTO reviewers (name, role, at) VALUES (?, ?, ?)
                   ON CONFLICT(name) DO UPDATE SET role = excluded.role, at = excluded.at""",
                (name, role, _now()),
            )
        )

    def policy(self) -> ReviewPolicy:
        values = {r["key"]: r["value"] for r in self._read("SELECT key, value FROM settings")}
        return ReviewPolicy(
            second_review=values.get("second_review") == "1",
            confidence_below=float(values.get("confidence_below", str(DEFAULT_CONFIDENCE_BELOW))),
        )

    def set_policy(self, policy: ReviewPolicy) -> None:
        values = {
            "second_review": "1" if policy.second_review else "0",
            "confidence_below": repr(float(policy.confidence_below)),
        }
        self._write(
            lambda tx: tx.many(
                """INSERT INTO settings (key, value) VALUES (:key, :value)
                   ON CONFLICT(key) DO UPDATE SET value = excluded.value""",
                [{"key": k, "value": v} for k, v in values.items()],
            )
        )

    def queues(self, reviewer: str) -> dict[str, Queue]:
        """Per article: what this reviewer should review (pending ones they have not
        decided, and second reviews the policy asks for), what is disputed, and what
        awaits an adjudicator."""
        policy = self.policy()
        logs = self._logs()
        counts: dict[str, list[int]] = {}
        for r in self._read("SELECT id, article_id, confidence FROM attributions WHERE active = 1"):
            state = derive_state(logs.get(r["id"], []))
            c = counts.setdefault(r["article_id"], [0, 0, 0])
            mine = reviewer in state.verdicts
            if (
                not mine
                and not state.needs_adjudication
                and (
                    state.status == "pending" or policy.needs_second_review(state, r["confidence"])
                )
            ):
                c[0] += 1
            c[1] += state.disputed
            c[2] += state.needs_adjudication
        return {a: Queue(*c) for a, c in counts.items()}

    # --- moving a workspace -----------------------------------------------------------

    def is_empty(self) -> bool:
        return not any(self._read(f"SELECT 1 AS x FROM {t} LIMIT 1") for t in TABLES)

    def dump(self, table: str) -> list[dict[str, Any]]:
        """Every row of one of the store's tables, as stored, in key order."""
        if table not in TABLE_ORDER:
            raise StoreError(f"no table {table!r} in a store")
        return self._read(f"SELECT * FROM {table} ORDER BY {TABLE_ORDER[table]}")

    def copy_from(self, other: Store) -> dict[str, int]:
        """Copy another store (articles, attributions, the whole review log with its sequence
        numbers, positions, roles, settings) into this one, which must be empty. One
        transaction: a failure leaves this store as it was. Rows copied, per table."""
        if not self.is_empty():
            raise StoreError(
                f"{self.location}: already holds a workspace; copy into an empty store"
            )
        tables = {t: other.dump(t) for t in TABLES}

        def work(tx: Tx) -> dict[str, int]:
            for name, rows in tables.items():
                if rows:
                    columns = list(rows[0])
                    tx.many(
                        f"INSERT INTO {name} ({', '.join(columns)}) "
                        f"VALUES ({', '.join(':' + c for c in columns)})",
                        rows,
                    )
            self._after_copy(tx)
            return {name: len(rows) for name, rows in tables.items()}

        return self._write(work)


class _SQLiteTx:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def one(self, sql: str, params: Params = ()) -> dict[str, Any] | None:
        row = self.db.execute(sql, params).fetchone()
        return dict(row) if row is not None else None

    def all(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        return [dict(r) for r in self.db.execute(sql, params).fetchall()]

    def run(self, sql: str, params: Params = ()) -> None:
        self.db.execute(sql, params)

    def many(self, sql: str, rows: Sequence[Params]) -> None:
        self.db.executemany(sql, rows)


class SQLiteStore(Store):
    """One SQLite file: WAL mode, a 30 s busy timeout, writes retried when locked."""

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        self.path = Path(path)
        self.target = self.location = str(self.path)
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

    def close(self) -> None:
        self.db.close()

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

    def _write(self, work: Callable[[Tx], T]) -> T:
        def attempt() -> T:
            with self._transaction() as db:
                return work(_SQLiteTx(db))

        return self._retry(attempt)

    def _read_all(self, query: str, params: Params = ()) -> list[dict[str, Any]]:
        return self._retry(lambda: [dict(r) for r in self.db.execute(query, params).fetchall()])

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise StoreError(
                f"{self.path}: made by a newer version of attribution (schema {version})"
            )
        for number in range(version, len(MIGRATIONS)):
            self._retry(partial(self._apply, number))

    def _apply(self, number: int) -> None:
        """One migration, unless another process applied it while we waited for the lock."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            if self.db.execute("PRAGMA user_version").fetchone()[0] == number:
                for statement in _statements(MIGRATIONS[number]):
                    self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {number + 1}")
                self.db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def check_writable(self) -> None:
        self._write(lambda tx: None)

    @property
    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])


def _statements(script: str) -> list[str]:
    """A migration's statements (a trigger's body holds semicolons of its own)."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    if current.strip():
        statements.append(current.strip())
    return statements


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
