"""Annotation throughput on a generated corpus, side by side with its floor and its cost.

Run by hand:

    python bench/throughput_bench.py [--articles 5000] [--workers 2] [--cue-share 0.44]
                                     [--modes regex,pipe,gated,gated1,ungated]

The corpus is written to a temporary directory, one .txt file per article. Each article
is a run of paragraphs taken from the French samples (`samples/fr`); with --cue-share,
paragraphs made of the samples' sentences that hold no cue are mixed in until that share
of the corpus's sentences holds a cue (the samples alone are denser than news: they were
written to exercise the extractor). Every mode runs in a fresh process, whose process tree
is sampled for its resident memory:

- regex    the cue gate's pass over every sentence (the floor)
- pipe     `nlp.pipe` over each article's full text with the same spaCy model, spaCy's
           default settings and no other work (what any spaCy-based extractor pays)
- pipe-lines  the same over each article's paragraphs, 64 to a batch, as the backend
           feeds them (the parse alone, without the backend's own work)
- gated    annotate, cue-gated, with --workers processes
- gated1   annotate, cue-gated, in one process (with the time split)
- ungated  annotate, every sentence parsed, in one process (with the time split)

RSS is summed over the process tree (shared pages counted in each process); PSS shares
them out, so it is the tree's real footprint. The annotate modes read the files, parse,
extract, link, store into a fresh SQLite file and write JSON Lines to /dev/null, as
`attribution annotate` does.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

SAMPLES = Path(__file__).parent.parent / "samples" / "fr"
MODES = ("regex", "pipe", "pipe-lines", "gated", "gated1", "ungated")


# --- the corpus --------------------------------------------------------------------------


def sample_paragraphs() -> tuple[list[tuple[str, int, int]], list[str]]:
    """The samples' paragraphs as (text, sentences, sentences with a cue), and the
    sentences that hold no cue."""
    from attribution.gate import cue_matcher, fold, sentence_spans
    from attribution.ingest import read_articles
    from attribution.lexicon import load_lexicon
    from attribution.model import Article

    matcher = cue_matcher(load_lexicon("fr"))
    paragraphs: list[tuple[str, int, int]] = []
    plain: list[str] = []
    for article in read_articles([SAMPLES]):
        assert isinstance(article, Article), article
        for line in article.text.split("\n"):
            if len(line.split()) < 8:  # titles, datelines
                continue
            sentences = [line[s:e] for s, e in sentence_spans(line)]
            cues = [matcher(fold(s)) for s in sentences]
            paragraphs.append((line, len(sentences), sum(cues)))
            plain += [s for s, cue in zip(sentences, cues, strict=True) if not cue]
    return paragraphs, plain


def write_corpus(
    directory: Path, n: int, cue_share: float | None, per_article: int = 8
) -> tuple[int, float]:
    """n articles of `per_article` paragraphs; returns (words, share of cue sentences)."""
    paragraphs, plain = sample_paragraphs()
    rng = random.Random(7)
    sentences = cues = words = 0
    for k in range(n):
        body = []
        for _ in range(per_article):
            if cue_share is not None and sentences and cues / sentences > cue_share:
                text = " ".join(rng.sample(plain, 3))
                sentences += 3
            else:
                text, count, with_cue = rng.choice(paragraphs)
                sentences += count
                cues += with_cue
            body.append(text)
        text = f"Article {k}\n\n" + "\n\n".join(body) + "\n"
        words += len(text.split())
        (directory / f"{k:06d}.txt").write_text(text, encoding="utf-8")
    return words, cues / sentences


# --- one mode, in a child process --------------------------------------------------------


class Clock:
    """Seconds spent pulling items from an iterator (the ingest time of a stream)."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def timed(self, items: Iterable[Any]) -> Iterator[Any]:
        it = iter(items)
        while True:
            start = time.perf_counter()
            try:
                item = next(it)
            except StopIteration:
                return
            finally:
                self.seconds += time.perf_counter() - start
            yield item


def run_mode(mode: str, corpus: Path, workers: int) -> dict[str, Any]:
    from attribution.engine import Job, annotator_for, run_local
    from attribution.gate import gate
    from attribution.ingest import iter_input_files, read_articles
    from attribution.lexicon import load_lexicon
    from attribution.output import records, write_jsonl
    from attribution.pipeline import AnnotatedArticle
    from attribution.registry import load_registry
    from attribution.store import Store

    files = [str(f) for f in iter_input_files([corpus])]
    split: dict[str, float] = {}
    articles = 0
    start = time.perf_counter()
    if mode == "regex":
        lexicon = load_lexicon("fr")
        for article in read_articles(files, lang="fr"):
            gate(article.text, lexicon)  # type: ignore[union-attr]
            articles += 1
    elif mode in ("pipe", "pipe-lines"):
        import spacy

        from attribution.nlp.base import paragraphs
        from attribution.nlp.spacy_backend import installed_models

        nlp = spacy.load(installed_models("fr")[0])
        texts = [a.text for a in read_articles(files, lang="fr")]  # type: ignore[union-attr]
        if mode == "pipe":
            for _doc in nlp.pipe(texts):
                articles += 1
        else:
            lines = (line for text in texts for _, line in paragraphs(text))
            for _doc in nlp.pipe(lines, batch_size=64):
                pass
            articles = len(texts)
    else:
        job = Job(load_registry(use_user_file=False), gate=mode != "ungated", lang="fr")
        ingest = Clock()
        if mode == "gated":
            results: Iterable[Any] = run_local(files, job, workers)
        else:
            results = annotator_for(job).annotate(ingest.timed(read_articles(files, lang="fr")))
        store_seconds = 0.0
        with (
            tempfile.TemporaryDirectory() as tmp,
            Store(Path(tmp) / "bench.db") as store,
            open(os.devnull, "w", encoding="utf-8") as out,
        ):
            for item in results:
                assert isinstance(item, AnnotatedArticle), item
                saving = time.perf_counter()
                store.save(item)
                write_jsonl(records(item), out)
                store_seconds += time.perf_counter() - saving
                articles += 1
        if mode != "gated":
            split = {"ingest": ingest.seconds, **annotator_for(job).timings}
            split["store"] = store_seconds
    seconds = time.perf_counter() - start
    return {"mode": mode, "seconds": seconds, "articles": articles, "split": split}


# --- the parent: run each mode, sample memory, print the table ---------------------------


def tree_memory(pid: int) -> tuple[float, float]:
    """(sum of RSS, sum of PSS) in MB of a process and its descendants."""
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0, 0.0
    rss = pss = 0.0
    for p in procs:
        try:
            info = p.memory_full_info()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        rss += info.rss / 2**20
        pss += getattr(info, "pss", info.rss) / 2**20
    return rss, pss


def measure(mode: str, corpus: Path, workers: int) -> dict[str, Any]:
    child = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--child",
            mode,
            "--corpus",
            str(corpus),
            "--workers",
            str(workers),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    samples: list[tuple[float, float, float]] = []  # (time, rss, pss)
    started = time.perf_counter()

    def sample() -> None:
        while child.poll() is None:
            rss, pss = tree_memory(child.pid)
            samples.append((time.perf_counter() - started, rss, pss))
            time.sleep(0.5)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = child.communicate()
    sampler.join()
    if child.returncode:
        raise SystemExit(f"{mode} failed with exit code {child.returncode}")
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    result["peak_rss"] = max((s[1] for s in samples), default=0.0)
    result["peak_pss"] = max((s[2] for s in samples), default=0.0)
    # resident memory at each quarter of the run: flat, or growing with the corpus?
    quarters = []
    for q in (0.25, 0.5, 0.75, 1.0):
        at = [s for s in samples if s[0] <= q * samples[-1][0]] if samples else []
        quarters.append(at[-1][2] if at else 0.0)
    result["pss_quarters"] = quarters
    return result


def print_table(results: list[dict[str, Any]], words: int, workers: int) -> None:
    from rich.console import Console
    from rich.table import Table

    base = next((r for r in results if r["mode"] == "pipe"), None)
    table = Table("mode", "s", "art/s", "words/s", "x pipe", "RSS MB", "PSS MB", "PSS ¼ ½ ¾ end")
    for r in results:
        label = f"{r['mode']} x{workers}" if r["mode"] == "gated" else r["mode"]
        ratio = f"{base['seconds'] / r['seconds']:.2f}" if base else "-"
        table.add_row(
            label,
            f"{r['seconds']:.1f}",
            f"{r['articles'] / r['seconds']:.1f}",
            f"{words / r['seconds']:,.0f}",
            ratio,
            f"{r['peak_rss']:.0f}",
            f"{r['peak_pss']:.0f}",
            " ".join(f"{q:.0f}" for q in r["pss_quarters"]),
        )
    console = Console()
    console.print(table)
    for r in results:
        if r["split"]:
            total = r["seconds"]
            parts = ", ".join(f"{k} {v:.1f} s ({v / total:.1%})" for k, v in r["split"].items())
            other = total - sum(r["split"].values())
            console.print(f"{r['mode']} split: {parts}, other {other:.1f} s ({other / total:.1%})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cue-share", type=float, default=None)
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--child", choices=MODES, help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_mode(args.child, args.corpus, args.workers)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp)
        words, share = write_corpus(corpus, args.articles, args.cue_share)
        print(
            f"corpus: {args.articles} articles, {words:,} words, "
            f"{share:.0%} of sentences hold a cue; {os.cpu_count()} cores",
            flush=True,
        )
        results = []
        for mode in args.modes.split(","):
            results.append(measure(mode, corpus, args.workers))
            print(f"{mode}: {results[-1]['seconds']:.1f} s", flush=True)
        print_table(results, words, args.workers)


if __name__ == "__main__":
    main()
