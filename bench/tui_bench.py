"""Review app speed on a store of 10,000 articles and ~150,000 attributions.

Run by hand: python bench/tui_bench.py. Builds the store like bench/store_bench.py, then
measures the time to the first paint of the articles screen and the time per key when
moving through the articles table and through an article's claims: wall time through
Textual's test pilot (which includes its frame pacing and idle waits) and the CPU time
the app spends on each key.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from attribution.registry import load_registry
from attribution.store import Store
from attribution.tui.app import ReviewApp

sys.path.insert(0, str(Path(__file__).parent))
from store_bench import build


def _rows_shown(app: ReviewApp) -> bool:
    screen = app.articles_screen()
    if screen is None or not screen.query("#articles"):
        return False
    return bool(screen.query_one("#articles").row_count)


async def measure(path: Path) -> dict[str, float]:
    registry = load_registry(use_user_file=False)
    with Store(path) as store:
        start = time.perf_counter()
        app = ReviewApp(store, registry, f"bench-{time.time_ns()}")  # no saved position
        async with app.run_test(size=(120, 40)) as pilot:
            # first paint: the articles table shows its first rows (the rest keeps loading)
            while not _rows_shown(app):
                await asyncio.sleep(0.005)
            first_paint = time.perf_counter() - start
            await pilot.pause()
            loaded = time.perf_counter() - start
            moves, moves_cpu = [], []
            for _ in range(50):
                t, c = time.perf_counter(), time.process_time()
                await pilot.press("down")
                await pilot.pause()
                moves.append(time.perf_counter() - t)
                moves_cpu.append(time.process_time() - c)
            t = time.perf_counter()
            await pilot.press("enter")
            await pilot.pause()
            open_article = time.perf_counter() - t
            claims, claims_cpu = [], []
            for _ in range(30):
                t, c = time.perf_counter(), time.process_time()
                await pilot.press("down")
                await pilot.pause()
                claims.append(time.perf_counter() - t)
                claims_cpu.append(time.process_time() - c)
    return {
        "first paint (s)": first_paint,
        "all rows loaded (s)": loaded,
        "articles: key, wall (ms)": 1000 * statistics.median(moves),
        "articles: key, CPU (ms)": 1000 * statistics.median(moves_cpu),
        "open an article (ms)": 1000 * open_article,
        "claims: key, wall (ms)": 1000 * statistics.median(claims),
        "claims: key, CPU (ms)": 1000 * statistics.median(claims_cpu),
    }


def main(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        articles, attributions = build(path, n)
        print(f"articles                     {articles:>10,}")
        print(f"attributions                 {attributions:>10,}")
        for name, value in asyncio.run(measure(path)).items():
            print(f"{name:<29}{value:>10.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
