"""A user error is one line and an exit code; `--debug` shows the traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "attribution.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def test_user_errors_are_one_line(tmp_path: Path) -> None:
    (tmp_path / "notes.db").write_text("my notes", encoding="utf-8")
    cases = [
        ("export", "--db", "notes.db", "--claims", "x.csv"),
        ("export", "--db", "missing.db", "--claims", "x.csv"),
        ("audit", "--db", "missing.db"),
        ("registry", "show", "no-such-outlet"),
        ("annotate", "--no-store", "--lang", "xx", "nothing.txt"),
        ("export", "--status", "maybe", "--claims", "x.csv"),
    ]
    for args in cases:
        result = run(*args, cwd=tmp_path)
        assert result.returncode == 1, args
        assert "Traceback" not in result.stderr, args
        assert len(result.stderr.strip().splitlines()) == 1, (args, result.stderr)
        assert result.stderr.startswith("error: "), args
    assert (tmp_path / "notes.db").read_text(encoding="utf-8") == "my notes"


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    result = run("--debug", "registry", "show", "no-such-outlet", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" in result.stderr
