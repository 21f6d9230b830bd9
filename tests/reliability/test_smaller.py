"""Round two, smaller cases: each says what is true instead of guessing or staying silent."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from attribution.errors import AttributionError, InputError
from attribution.ingest import TRUNCATED_UTF8, read_articles
from attribution.model import Article
from attribution.store import SQLiteStore, Store
from attribution.tui.app import ReviewApp
from tests.reliability.test_integrity import run_cli
from tests.test_store import annotated

TEXT = "Selon l’armée, le pont a cédé à l’aube, a indiqué le porte-parole."


def test_utf8_with_its_last_byte_cut_stays_utf8_with_a_replacement(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes((TEXT + " é").encode("utf-8")[:-1])
    [article] = list(read_articles([path], lang="fr"))
    assert isinstance(article, Article)
    assert article.text == TEXT + " \ufffd"
    assert article.encoding == TRUNCATED_UTF8


def test_an_unreadable_subdirectory_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.txt").write_text(TEXT, "utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "b.txt").write_text(TEXT, "utf-8")
    real_scandir, real_listdir = os.scandir, os.listdir

    def refuse(real: Any) -> Any:
        def call(path: Any = ".") -> Any:  # as root, chmod 000 still lists: simulate it
            if Path(path) == locked:
                raise PermissionError(13, "Permission denied", str(path))
            return real(path)

        return call

    monkeypatch.setattr(os, "scandir", refuse(real_scandir))
    monkeypatch.setattr(os, "listdir", refuse(real_listdir))
    items = list(read_articles([tmp_path], lang="fr"))
    assert [i.path for i in items if isinstance(i, Article)] == [f"{tmp_path}/a.txt"]
    assert [str(e) for e in items if isinstance(e, InputError)] == [
        f"{locked}: cannot read directory: Permission denied"
    ]


def test_a_file_name_with_a_line_break_makes_one_line(tmp_path: Path) -> None:
    path = tmp_path / "a\nb.txt"
    path.write_bytes(b"")
    [err] = list(read_articles([path]))
    assert isinstance(err, InputError)
    assert str(err) == f"{tmp_path}/a␊b.txt: empty file"


def test_an_unparseable_since_date_is_refused(tmp_path: Path) -> None:
    with Store(tmp_path / "a.db") as store:
        store.save(annotated())

    def export(since: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "attribution.cli",
                "export",
                "--db",
                "a.db",
                "--claims",
                "c.csv",
                "--since",
                since,
            ],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            check=False,
        )

    refused = export("yesterday")
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        "error: --since must be an ISO date (2024-03-28) or date and time, not 'yesterday'"
    ]
    accepted = export("2000-01-01")
    assert accepted.returncode == 0, accepted.stderr
    assert accepted.stderr.splitlines() == ["c.csv: 1 attributions"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("قالت وكالة الأنباء إن الجسر انهار خلال الليل بعد أيام من الأمطار الغزيرة.", "ar"),
        ("По словам агентства, мост рухнул ночью после нескольких дней сильных дождей.", "ru"),
    ],
)
def test_a_text_in_another_script_is_not_taken_for_english(
    tmp_path: Path, text: str, code: str
) -> None:
    path = tmp_path / "a.txt"
    path.write_text(text, "utf-8")
    (tmp_path / "b.txt").write_text(TEXT, "utf-8")
    items = list(read_articles([path, tmp_path / "b.txt"]))
    assert [str(e) for e in items if isinstance(e, AttributionError)] == [
        f"{path}: language not supported: {code} (fr and en are; --lang forces one)"
    ]
    assert [i.lang for i in items if isinstance(i, Article)] == ["fr"]


def test_the_review_app_says_at_start_that_the_store_is_read_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "a.db"
    with Store(db) as store:
        store.save(annotated())
    real_init = SQLiteStore.__init__

    def read_only(self: SQLiteStore, *args: Any, **kwargs: Any) -> None:
        real_init(self, *args, **kwargs)
        self.db.execute("PRAGMA query_only = ON")  # root ignores file modes: this is read-only

    def never(self: ReviewApp) -> None:
        raise AssertionError("the app started on a store it cannot write")

    monkeypatch.setattr(SQLiteStore, "__init__", read_only)
    monkeypatch.setattr(ReviewApp, "run", never)
    code, err = run_cli(monkeypatch, capsys, "review", str(db))
    assert code == 1
    assert err == [
        f"error: {db}: the database is read-only: the review app records every decision, so it "
        "needs a writable store (copy it somewhere writable to review it)"
    ]
