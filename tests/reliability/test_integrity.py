"""Round two, data integrity: nothing replaced silently, every record checked, the store's
state said as it is, exactly what was stored reported, no orphan left behind."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from attribution import cli
from attribution.errors import InputError
from attribution.ingest import read_articles
from attribution.model import Article
from attribution.output import ArticleRecord, article_record
from attribution.registry import load_registry
from attribution.shards import write_shard
from attribution.store import Store, StoreError
from attribution.tui.app import ReviewApp
from attribution.tui.article import ArticleScreen
from tests.test_store import annotated

ROOT = Path(__file__).parent.parent.parent


def run_cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, list[str]]:
    """The command line in this process (so that a test can put a fault in it)."""
    monkeypatch.setattr(sys, "argv", ["attribution", *args])
    code: Any = 0
    try:
        cli.main()
    except SystemExit as exit:
        code = exit.code
    return int(code or 0), capsys.readouterr().err.splitlines()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- duplicate ids ---------------------------------------------------------------------


def test_a_duplicate_jsonl_id_is_refused_with_its_line_and_the_first_kept(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    lines = [
        {"id": "x", "text": "Selon l'AFP, il pleut."},
        {"id": "y", "text": "Selon l'AFP, il vente."},
        {"id": "x", "text": "Selon l'AFP, il neige."},
    ]
    path.write_text("".join(json.dumps(o) + "\n" for o in lines), "utf-8")
    items = list(read_articles([path], lang="fr"))
    assert [i.text for i in items if isinstance(i, Article)] == [
        "Selon l'AFP, il pleut.",
        "Selon l'AFP, il vente.",
    ]
    assert [str(e) for e in items if isinstance(e, InputError)] == [
        f"{path}:3: duplicate id 'x' (first at line 1)"
    ]


def _fake_engine(monkeypatch: pytest.MonkeyPatch, items: list[Any]) -> None:
    from attribution import engine

    def run_local(files: Any, job: Any, workers: int = 1) -> Iterator[Any]:
        yield from items

    monkeypatch.setattr(engine, "run_local", run_local)


def test_a_duplicate_id_across_files_is_refused_and_the_first_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    first = annotated("verb_que", "x")
    second = annotated("dapres", "x")
    first = replace(first, article=replace(first.article, path="one.jsonl"))
    second = replace(second, article=replace(second.article, path="two.jsonl"))
    _fake_engine(monkeypatch, [first, second])
    db = tmp_path / "a.db"
    code, err = run_cli(
        monkeypatch, capsys, "annotate", "--db", str(db), "-o", str(tmp_path / "o"), "x"
    )
    assert code == 1
    assert err == [
        "error: two.jsonl: duplicate article id 'x' (first read from one.jsonl); skipped",
        f"{db}: 1 new",
    ]
    with Store(db) as store:
        assert store.article_text("x") == first.article.text


# --- shard import ----------------------------------------------------------------------


def _record(name: str, article_id: str, **changes: Any) -> ArticleRecord:
    record = article_record(annotated(name, article_id))
    rows = [{**row, **changes} for row in record.attributions]
    return replace(record, attributions=rows)


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"article": "elsewhere"}, "article 'elsewhere' is not the record's article 'b'"),
        ({"claim_start": "abc"}, "claim_start: Input should be a valid integer"),
        ({"claim_start": -50}, "claim_start -50 and claim_end"),
        ({"claim_end": 10**9}, f"claim_end {10**9} are not offsets"),
        ({"direct_quote": "yes"}, "direct_quote: Input should be a valid boolean"),
    ],
    ids=["foreign-key", "text", "negative", "huge", "bool"],
)
def test_import_reports_each_bad_record_by_shard_and_line_and_imports_the_rest(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    changes: dict[str, Any],
    problem: str,
) -> None:
    shards = tmp_path / "shards"
    shards.mkdir()
    write_shard(
        shards / "part-000000.jsonl",
        [_record("verb_que", "a"), _record("dapres", "b", **changes), _record("verb_que", "c")],
    )
    write_shard(shards / "part-000032.jsonl", [_record("selon_preposed", "d")])
    db = tmp_path / "a.db"
    code, err = run_cli(monkeypatch, capsys, "import", str(shards), "--db", str(db))
    assert code == 1
    [line, summary] = err
    assert line.startswith(f"error: {shards}/part-000000.jsonl:2: attributions[0]"), line
    assert problem in line
    assert summary == f"{db}: 3 new"
    with Store(db) as store:
        assert store.article_ids() == ["a", "c", "d"]


def test_import_goes_on_after_a_record_the_store_refuses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shards = tmp_path / "shards"
    shards.mkdir()
    write_shard(shards / "part-000000.jsonl", [_record("verb_que", "a")])
    write_shard(shards / "part-000001.jsonl", [_record("dapres", "b")])
    real_save = Store.save

    def save(self: Store, record: Any) -> Any:
        if record.article.id == "a":
            raise StoreError(f"{self.path}: database error: FOREIGN KEY constraint failed")
        return real_save(self, record)

    monkeypatch.setattr(Store, "save", save)
    db = tmp_path / "a.db"
    code, err = run_cli(monkeypatch, capsys, "import", str(shards), "--db", str(db))
    assert code == 1
    assert err[0].startswith(f"error: {shards}/part-000000.jsonl:1: not stored: ")
    assert err[1] == f"{db}: 1 new"


# --- the store says what is true ------------------------------------------------------------


def _healthy(path: Path) -> Path:
    with Store(path) as store:
        store.save(annotated())
    return path


def test_a_read_only_directory_is_not_called_corrupt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from attribution import store as store_module

    path = _healthy(tmp_path / "a.db")

    def connect(*args: Any, **kwargs: Any) -> Any:
        raise sqlite3.OperationalError("unable to open database file")

    def temporary_file(**kwargs: Any) -> Any:  # as root, a chmod'ed directory stays writable
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(store_module.sqlite3, "connect", connect)
    monkeypatch.setattr(store_module.tempfile, "TemporaryFile", temporary_file)
    with pytest.raises(StoreError) as err:
        Store(path)
    assert "corrupt database" not in str(err.value)
    assert str(err.value).startswith(f"{path}: cannot open: its directory is read-only")


def test_a_full_disk_is_not_called_corrupt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from attribution import store as store_module

    path = _healthy(tmp_path / "a.db")
    real = os.statvfs(tmp_path)

    class Full:
        f_bavail = 0

        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

    def connect(*args: Any, **kwargs: Any) -> Any:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(store_module.sqlite3, "connect", connect)
    monkeypatch.setattr(store_module.os, "statvfs", lambda _: Full())
    with pytest.raises(StoreError) as err:
        Store(path)
    assert str(err.value) == f"{path}: the disk is full; nothing was written"


def _mounted(tmp_path: Path, options: str) -> Path:
    where = tmp_path / "mnt"
    where.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    return where


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    where = _mounted(tmp_path, "size=1m")
    yield where
    subprocess.run(["umount", "-l", str(where)], check=False)


def test_a_real_read_only_directory_and_a_real_full_disk(small_disk: Path) -> None:
    path = _healthy(small_disk / "a.db")
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    with pytest.raises(StoreError, match="its directory is read-only"):
        Store(path)
    subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)
    with (small_disk / "fill").open("wb") as f:
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        except OSError:
            pass
    digest = _digest(path)
    with pytest.raises(StoreError, match="disk is full"):
        Store(path).save(annotated("dapres", "a2"))
    assert _digest(path) == digest


def test_a_database_missing_a_table_is_refused_before_any_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _healthy(tmp_path / "a.db")
    db = sqlite3.connect(path)
    db.executescript("DROP TABLE review_log;")
    db.close()
    digest = _digest(path)
    with pytest.raises(StoreError) as err:
        Store(path)
    assert str(err.value) == (
        f"{path}: not an attribution database: table review_log is missing (refusing to touch it)"
    )
    _fake_engine(monkeypatch, [annotated("dapres", "a2")])
    for args in (("annotate", "--db", str(path), "x.txt"), ("review", str(path))):
        code, err_lines = run_cli(monkeypatch, capsys, *args)
        assert code == 1
        assert err_lines == [f"error: {err.value}"]
    assert _digest(path) == digest


# --- a full disk mid-run -------------------------------------------------------------------


def test_a_disk_filling_mid_run_reports_exactly_what_was_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _fake_engine(
        monkeypatch,
        [annotated("verb_que", "a1"), annotated("dapres", "a2"), annotated("selon_preposed", "a3")],
    )
    real_save = Store.save

    def save(self: Store, item: Any) -> Any:
        if item.article.id != "a1":
            raise StoreError(f"{self.path}: the disk is full; nothing was written")
        return real_save(self, item)

    monkeypatch.setattr(Store, "save", save)
    db = tmp_path / "a.db"
    code, err = run_cli(monkeypatch, capsys, "annotate", "--db", str(db), "x.txt")
    assert code == 1
    assert err == [
        f"{db}: 1 new",
        f"error: {db}: the disk is full: article a2 and the ones after it were not stored; "
        "those before it are kept",
    ]
    with Store(db) as store:
        assert store.article_ids() == ["a1"]


def test_output_to_a_full_disk_names_the_file_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from attribution import output

    _fake_engine(monkeypatch, [annotated("verb_que", "a1")])

    def write_jsonl(rows: Any, out: Any) -> int:
        out.write("{}\n" * 100)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output, "write_jsonl", write_jsonl)
    out = tmp_path / "out" / "claims.jsonl"
    out.parent.mkdir()
    code, err = run_cli(monkeypatch, capsys, "annotate", "--no-store", "-o", str(out), "x.txt")
    assert code == 1
    assert err == [f"error: {out}: cannot write: No space left on device"]
    assert list(out.parent.iterdir()) == []


def test_output_to_dev_full_names_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _fake_engine(monkeypatch, [annotated("verb_que", "a1")])
    code, err = run_cli(monkeypatch, capsys, "annotate", "--no-store", "-o", "/dev/full", "x")
    assert code == 1
    assert err == ["error: /dev/full: cannot write: No space left on device"]


def test_a_plot_to_a_full_disk_names_the_file_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from attribution import audit

    db = _healthy(tmp_path / "a.db")
    result = subprocess.run(
        [sys.executable, "-m", "attribution.cli", "audit", "--db", str(db), "--plot", "/dev/full"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == ["error: /dev/full: cannot write: No space left on device"]

    def plot(claims: Any, path: str, *args: Any, **kwargs: Any) -> None:
        Path(path).write_bytes(b"\x89PNG half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(audit, "plot_outlet_mix", plot)
    out = tmp_path / "plots" / "mix.png"
    out.parent.mkdir()
    code, err = run_cli(monkeypatch, capsys, "audit", "--db", str(db), "--plot", str(out))
    assert code == 1
    assert err == [f"error: {out}: cannot write: No space left on device"]
    assert list(out.parent.iterdir()) == []


# --- reopening after a kill ----------------------------------------------------------------


def _three_claims(path: Path) -> tuple[Store, list[str]]:
    store = Store(path)
    record = article_record(annotated("verb_que", "a1"))
    [row] = record.attributions
    rows = [{**row, "attribution_id": f"id{k}", "claim": f"{row['claim']} {k}"} for k in range(3)]
    store.save(replace(record, attributions=rows))
    return store, ["id0", "id1", "id2"]


async def test_a_decision_saves_the_next_position_and_reopening_lands_there(
    tmp_path: Path,
) -> None:
    store, ids = _three_claims(tmp_path / "a.db")
    app = ReviewApp(store, load_registry(use_user_file=False), "alice")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        # a kill now loses nothing: the saved position is already the next one to review
        assert store.position("alice") == ("a1", ids[1])
    store.set_position("alice", "a1", ids[0])  # as an older version left it
    again = ReviewApp(store, load_registry(use_user_file=False), "alice")
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, ArticleScreen)
        assert again.screen.current is not None
        assert again.screen.current["id"] == ids[1]
        await pilot.press("c")
        await pilot.pause()
    assert [(e.attribution_id, e.action) for e in store.review_log()] == [
        (ids[0], "confirm"),
        (ids[1], "confirm"),
    ]
    store.close()


def test_a_repeated_identical_decision_changes_nothing(tmp_path: Path) -> None:
    store, ids = _three_claims(tmp_path / "a.db")
    store.review(ids[0], "confirm", "alice")
    first = store.review_state(ids[0])
    for _ in range(6):  # the same reviewer pressing `c` again after a restart
        store.review(ids[0], "confirm", "alice")
    assert store.review_state(ids[0]).reviewed_at == first.reviewed_at
    store.review(ids[0], "link_outlet", "alice", "reuters")
    store.review(ids[0], "link_outlet", "alice", "reuters")
    state = store.review_state(ids[0])
    assert (state.status, state.outlet, state.reviewer) == ("confirmed", "reuters", "alice")
    assert first.reviewed_at is not None
    store.review(ids[0], "confirm", "bob")  # another reviewer's decision is theirs
    assert store.review_state(ids[0]).reviewer == "bob"
    store.review(ids[0], "reject", "bob")
    store.review(ids[0], "confirm", "bob")  # a change again, so it counts
    assert store.review_state(ids[0]).status == "confirmed"
    store.close()


# --- workers die with their parent ------------------------------------------------------------


def _running(process: Any) -> bool:
    """Exited processes whose parent is gone may stay zombies where PID 1 reaps nothing."""
    import psutil

    try:
        return bool(process.status() != psutil.STATUS_ZOMBIE)
    except psutil.NoSuchProcess:
        return False


@pytest.mark.slow
def test_workers_exit_when_the_parent_is_killed(tmp_path: Path) -> None:
    import psutil

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    # enough work that the two workers are still busy when the parent is killed
    sentence = (
        "Selon l'AFP, le pont {k} a cédé hier soir après des pluies qui ont duré trois jours. "
    )
    for k in range(200):
        (corpus / f"{k}.txt").write_text(sentence.format(k=k) * 40, "utf-8")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "attribution.cli",
            "annotate",
            str(corpus),
            "--workers",
            "2",
            "--batch-size",
            "2",
            "--no-store",
            "--lang",
            "fr",
        ],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        parent = psutil.Process(proc.pid)

        def descendants() -> list[psutil.Process]:
            # the workers, and the fork server they are forked from (which has children)
            found = []
            for p in parent.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    if "resource_tracker" not in " ".join(p.cmdline()):
                        found.append(p)
            return found

        def workers() -> list[psutil.Process]:
            return [p for p in descendants() if not p.children()]

        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None and len(workers()) < 2:
            time.sleep(0.1)
        assert proc.poll() is None, "the job ended before two workers were seen"
        assert len(workers()) >= 2
        time.sleep(2)  # the workers are past their start
        doomed = descendants()
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and any(_running(p) for p in doomed):
            time.sleep(0.2)
        alive = [p for p in doomed if _running(p)]
        for p in alive:
            p.kill()
        assert alive == []
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
