"""The progress bar of `annotate`: on a terminal it shows articles/s and the time left;
piped or captured, nothing but the run's own lines reach stderr."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.model

ARTICLE = "Selon l'AFP, le pont numéro {k} a été détruit dans la nuit.\n"
CLI = [sys.executable, "-m", "attribution"]


def corpus(directory: Path, n: int = 12) -> Path:
    directory.mkdir(exist_ok=True)
    for k in range(n):
        (directory / f"{k:02d}.txt").write_text(ARTICLE.format(k=k), encoding="utf-8")
    return directory


def run_with_terminal_stderr(args: list[str]) -> tuple[int, str]:
    """Run with stderr on a pseudo-terminal (stdout to a file); what the terminal showed."""
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "120", "TERM": "xterm"}
    proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stderr=follower, env=env)
    os.close(follower)
    shown = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            shown += chunk
        elif proc.poll() is not None:
            break
    os.close(leader)
    return proc.wait(), shown.decode("utf-8", "replace")


def test_a_terminal_sees_a_bar_with_articles_per_second(tmp_path: Path) -> None:
    inputs = corpus(tmp_path / "in")
    out = tmp_path / "out.jsonl"  # beside the inputs, not among them
    code, shown = run_with_terminal_stderr(
        [*CLI, "annotate", str(inputs), "--no-store", "-o", str(out), "--batch-size", "1"]
    )
    assert code == 0, shown
    assert "annotating" in shown
    assert "/12" in shown  # articles done out of 12
    assert "articles/s" in shown
    assert len(out.read_text(encoding="utf-8").splitlines()) == 12


def test_no_bar_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    inputs = corpus(tmp_path)
    result = subprocess.run(
        [*CLI, "annotate", str(inputs), "--no-store"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert len(result.stdout.splitlines()) == 12
