"""Kills, read-only databases and full disks: nothing half-written, nothing lost."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from attribution.errors import AttributionError
from attribution.store import Store, StoreError
from tests.test_engines import run
from tests.test_store import annotated

SAMPLES = Path(__file__).parent.parent.parent / "samples" / "fr"


def _counts(path: Path) -> tuple[int, int, int]:
    db = sqlite3.connect(path)
    try:
        if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'articles'").fetchone():
            return 0, 0, 0  # the run made the file and has not yet made its tables
        articles = db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        attributions = db.execute("SELECT COUNT(*) FROM attributions").fetchone()[0]
        # an article stored without its attributions would be half-written
        empty = db.execute(
            "SELECT COUNT(*) FROM articles a WHERE NOT EXISTS "
            "(SELECT 1 FROM attributions t WHERE t.article_id = a.id)"
        ).fetchone()[0]
    finally:
        db.close()
    return articles, attributions, empty


@pytest.mark.model
@pytest.mark.slow
def test_annotate_killed_midway_then_rerun(tmp_path: Path, french_nlp: object) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for k, path in enumerate(sorted(SAMPLES.iterdir())):
        (corpus / f"{k:02d}_{path.name}").write_bytes(path.read_bytes())
    cmd = [
        sys.executable,
        "-m",
        "attribution.cli",
        "annotate",
        str(corpus),
        "--batch-size",
        "2",
        "--no-store",
    ]
    clean = tmp_path / "clean.db"  # the reference and the rerun in this process: one model
    assert run(*cmd[3:-1], "--db", clean).code == 0
    killed = tmp_path / "killed.db"
    proc = subprocess.Popen(
        [*cmd[:-1], "--db", str(killed)],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if killed.exists() and _counts(killed)[0] >= 3:
            break
        time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    articles, _, empty = _counts(killed)
    assert 0 < articles < 25 or proc.returncode != -signal.SIGKILL
    assert empty == 0
    assert run(*cmd[3:-1], "--db", killed).code == 0
    assert _counts(killed) == _counts(clean)


def _decide_then_die(path: str) -> None:
    with Store(path) as store:
        [row] = store.attributions()
        store.review(row["id"], "confirm", "alice")
        os.kill(os.getpid(), signal.SIGKILL)


def test_killed_right_after_a_decision_keeps_it(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    with Store(path) as store:
        store.save(annotated())
    code = (
        "import sys; sys.path.insert(0, sys.argv[2]);"
        "from tests.reliability.test_faults import _decide_then_die; _decide_then_die(sys.argv[1])"
    )
    root = str(Path(__file__).parent.parent.parent)
    proc = subprocess.run([sys.executable, "-c", code, str(path), root], check=False)
    assert proc.returncode == -signal.SIGKILL
    with Store(path) as store:
        [row] = store.attributions()
        assert [e.action for e in store.review_log(row["id"])] == ["confirm"]
        assert row["review_status"] == "confirmed"


def test_a_read_only_database_says_so_and_keeps_its_content(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    with Store(path) as store:
        store.save(annotated())
        [row] = store.attributions()
        store.db.execute("PRAGMA query_only = ON")  # root ignores file modes: this is read-only
        with pytest.raises(StoreError, match="read-only; nothing was written"):
            store.review(row["id"], "confirm", "alice")
    with Store(path) as store:
        assert store.review_log() == []
        assert len(store.attributions()) == 1


def test_a_full_disk_during_a_write_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.db"
    with Store(path) as store:
        store.save(annotated())
        [row] = store.attributions()

        def full(*_: object) -> None:
            raise sqlite3.OperationalError("database or disk is full")

        monkeypatch.setattr(store, "_transaction", full)
        with pytest.raises(StoreError, match="disk is full; nothing was written"):
            store.review(row["id"], "confirm", "alice")
    with Store(path) as store:
        assert store.review_log() == []


def test_an_export_to_a_full_disk_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    with Store(path) as store:
        store.save(annotated())
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "attribution.cli",
            "export",
            "--db",
            str(path),
            "--claims",
            "/dev/full",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == "error: /dev/full: cannot write: No space left on device"


def test_store_errors_are_user_errors() -> None:
    assert issubclass(StoreError, AttributionError)
