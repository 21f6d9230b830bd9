"""Team load on both backends: 8 reviewer processes x 500 decisions while `annotate`
writes 24 articles, checked as the test checks it; decisions per second and p95 commit
latency (the time `Store.review` takes to return, the decision committed).

PostgreSQL: the server of $ATTRIBUTION_TEST_PG, or a throw-away one started by
`.ci/pg` (Debian's package, a Unix socket only) when that is not set.

    python bench/team_load_bench.py [--reviewers 8] [--decisions 500] [--articles 24]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reviewers", type=int, default=8)
    parser.add_argument("--decisions", type=int, default=500)
    parser.add_argument("--articles", type=int, default=24)
    args = parser.parse_args()
    server = None
    if not os.environ.get("ATTRIBUTION_TEST_PG"):
        server = tempfile.mkdtemp(prefix="attribution-pg-bench.")
        url = subprocess.run(
            ["bash", str(ROOT / ".ci" / "pg"), "start", server],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        os.environ["ATTRIBUTION_TEST_PG"] = url
    try:
        from tests import conftest
        from tests.reliability.test_team_load import run_load

        conftest.PG_URL = os.environ["ATTRIBUTION_TEST_PG"]
        for backend in ("postgresql", "sqlite"):
            with (
                tempfile.TemporaryDirectory() as tmp,
                conftest.new_target(backend, Path(tmp)) as target,
            ):
                load = run_load(target, Path(tmp), args.reviewers, args.decisions, args.articles)
            print(
                f"{backend:10}  {load.decisions} decisions by {args.reviewers} reviewers in "
                f"{load.seconds:.1f} s: {load.decisions / load.seconds:.0f} decisions/s, "
                f"p95 commit {load.p95_ms:.1f} ms; {load.annotated} articles annotated meanwhile"
            )
    finally:
        if server is not None:
            subprocess.run(["bash", str(ROOT / ".ci" / "pg"), "stop", server], check=False)


if __name__ == "__main__":
    main()
