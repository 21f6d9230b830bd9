"""Store, export and audit times for a corpus of 10,000 articles.

Run by hand: python bench/store_bench.py [N]. The 25 French samples are parsed once with
the default backend, then stored N times under new ids (each copy's text differs, so each
is a new article); then the claims and sources exports and the audit are timed.
"""

from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from attribution.audit import audit
from attribution.export import claims_frame, sources_frame, write_table
from attribution.ingest import read_articles
from attribution.model import Article
from attribution.pipeline import AnnotatedArticle, Annotator
from attribution.registry import load_registry
from attribution.store import Store

SAMPLES = Path(__file__).parent.parent / "samples" / "fr"


def build(path: Path, n: int) -> tuple[int, int]:
    """A store of n articles: the samples parsed once, then saved under new ids."""
    registry = load_registry(use_user_file=False)
    annotator = Annotator(registry)
    base = [
        a for a in annotator.annotate(read_articles([SAMPLES])) if isinstance(a, AnnotatedArticle)
    ]
    total = 0
    with Store(path) as store:
        for k in range(n):
            item = base[k % len(base)]
            article: Article = replace(
                item.article, id=f"{item.article.id}#{k}", text=item.article.text + f"\n{k}"
            )
            attributions = [replace(a, article=article.id) for a in item.attributions]
            store.save(replace(item, article=article, attributions=attributions))
            total += len(attributions)
    return n, total


def main(n: int) -> None:
    registry = load_registry(use_user_file=False)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        timings = {}
        start = time.perf_counter()
        build(path, n)
        timings["parse 25 + store"] = time.perf_counter() - start
        with Store(path) as store:
            start = time.perf_counter()
            claims = claims_frame(store, registry)
            write_table(claims, Path(tmp) / "claims.csv")
            timings["export claims"] = time.perf_counter() - start
            start = time.perf_counter()
            write_table(sources_frame(claims), Path(tmp) / "sources.csv")
            timings["export sources"] = time.perf_counter() - start
            start = time.perf_counter()
            rows = audit(claims, store.articles(), registry)
            timings["audit"] = time.perf_counter() - start
        size = path.stat().st_size
    print(f"articles                {n:>10,}")
    print(f"attributions            {len(claims):>10,}")
    print(f"audit rows              {len(rows):>10,}")
    print(f"database size           {size / 1e6:>10.1f} MB")
    for name, seconds in timings.items():
        print(f"{name:<24}{seconds:>10.2f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
