"""Time against attributions in one article: N lines "Selon l'AFP, oui." (one attribution
each), annotated and stored by the command line, for N = 5,000, 10,000 and 20,000.

Run by hand: python bench/attributions_bench.py [N...]. Everything after the parse is
linear in the attributions: twice the lines should take about twice the time.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

LINE = "Selon l'AFP, oui.\n"


def run(n: int, work: Path) -> tuple[float, int]:
    article = work / f"selon_{n}.txt"
    article.write_text(LINE * n, encoding="utf-8")
    out = work / f"out_{n}.jsonl"
    clock = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "attribution.cli",
            "annotate",
            str(article),
            "--lang",
            "fr",
            "--db",
            str(work / f"bench_{n}.db"),
            "-o",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    seconds = time.perf_counter() - clock
    return seconds, len(out.read_text(encoding="utf-8").splitlines())


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [5_000, 10_000, 20_000]
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            seconds, rows = run(n, Path(tmp))
            print(f"{n:>7,} lines  {rows:>7,} attributions  {seconds:7.1f} s")


if __name__ == "__main__":
    main()
