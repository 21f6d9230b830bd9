"""Team load: 8 reviewer processes making 500 decisions each on one store while an
`annotate` run writes to it, on PostgreSQL and on SQLite.

Every decision must be in the log exactly once, as its reviewer made it; each reviewer's
verdicts in the store must be those their own decisions give; the derived states the store
reports must be those its log gives; the annotate run must store every article; nothing may
deadlock (every process ends in time, else the test fails). SQLite's limit, documented in
the README: it takes one writer at a time, so the reviewers queue for the lock.

Only local addresses: the PostgreSQL server is the one `.ci/run` starts on a Unix socket.
Speed is not asserted here; `python bench/team_load_bench.py` prints it.
"""

from __future__ import annotations

import json
import multiprocessing
import random
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from attribution.store import ReviewEntry, Store, derive_state
from tests.conftest import new_target
from tests.test_store import annotated

REVIEWERS = 8
DECISIONS = 500
TIMEOUT_S = 600  # a bound, not a speed requirement: a deadlock fails instead of hanging
SEEDED = [(name, f"seed-{k}") for k in range(4) for name in ("verb_que", "dapres")]
ARTICLE = """Crues dans la vallée n°{n}

Selon le quotidien libanais Assafir, la route du col n°{n} est coupée depuis lundi.

Le ministère de l'Intérieur a affirmé que le pont n°{n} tenait toujours.
"""


def review_worker(target: str, name: str, decisions: int, out: str) -> None:
    """One reviewer: confirm, reject, flag, note, and undo some of their own decisions,
    on attributions the others decide too. Writes what it did, with each commit's time."""
    rng = random.Random(name)
    done: list[dict[str, Any]] = []
    mine: list[tuple[int, str]] = []
    with Store(target) as store:
        ids = sorted(r["id"] for r in store.attributions() if r["article_id"].startswith("seed-"))
        start = time.time()
        for _ in range(decisions):
            roll = rng.random()
            began = time.perf_counter()
            if roll < 0.1 and mine:
                undone, aid = mine.pop(rng.randrange(len(mine)))
                action, value = "undo", str(undone)
                seq = store.undo(undone, name)
            else:
                aid = rng.choice(ids)
                action = "note" if roll < 0.2 else rng.choice(["confirm", "reject", "flag"])
                value = f"{name} {len(done)}" if action == "note" else None
                seq = store.review(aid, action, name, value)  # type: ignore[arg-type]
                mine.append((seq, aid))
            latency = time.perf_counter() - began
            done.append(
                {"seq": seq, "attribution_id": aid, "action": action, "value": value, "s": latency}
            )
        end = time.time()
    Path(out).write_text(json.dumps({"start": start, "end": end, "done": done}))


@dataclass
class Load:
    decisions: int
    seconds: float
    p95_ms: float
    annotated: int


def run_load(target: str, workdir: Path, reviewers: int, decisions: int, articles: int) -> Load:
    """Seed the store, run `annotate` and the reviewers at once, check everything; the
    figures of the run."""
    with Store(target) as store:
        for name, article in SEEDED:
            store.save(annotated(name, article))
    corpus = workdir / "corpus"
    corpus.mkdir()
    for n in range(articles):
        (corpus / f"crue-{n:03d}.txt").write_text(ARTICLE.format(n=n), encoding="utf-8")
    annotate = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "attribution.cli",
            "annotate",
            str(corpus),
            "--db",
            target,
            "--batch-size",
            "2",
            "-o",
            str(workdir / "out.jsonl"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    ctx = multiprocessing.get_context("spawn")
    outs = [workdir / f"reviewer-{k}.json" for k in range(reviewers)]
    procs = [
        ctx.Process(target=review_worker, args=(target, f"r{k}", decisions, str(outs[k])))
        for k in range(reviewers)
    ]
    deadline = time.monotonic() + TIMEOUT_S
    try:
        for p in procs:
            p.start()
        for p in procs:
            p.join(max(1.0, deadline - time.monotonic()))
        _, err = annotate.communicate(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        for p in procs:
            if p.is_alive():
                p.kill()
        if annotate.poll() is None:
            annotate.kill()
    assert [p.exitcode for p in procs] == [0] * reviewers, "a reviewer died or hung"
    assert annotate.returncode == 0, err
    runs = {f"r{k}": json.loads(out.read_text()) for k, out in enumerate(outs)}
    return check(target, runs, articles)


def check(target: str, runs: dict[str, Any], articles: int) -> Load:
    with Store(target) as store:
        log = store.review_log()
        rows = {r["id"]: r for r in store.attributions()}
        stored = [a for a in store.article_ids() if a.endswith(".txt")]
    # every decision exactly once, as its reviewer made it
    made = {
        d["seq"]: (name, d["attribution_id"], d["action"], d["value"])
        for name, run in runs.items()
        for d in run["done"]
    }
    assert len(made) == sum(len(run["done"]) for run in runs.values())  # no seq given twice
    assert len(log) == len(made)
    assert {e.seq: (e.reviewer, e.attribution_id, e.action, e.value) for e in log} == made
    # each reviewer's verdicts are those of their own decisions
    by_attribution: dict[str, list[ReviewEntry]] = {}
    for e in log:
        by_attribution.setdefault(e.attribution_id, []).append(e)
    for aid, entries in by_attribution.items():
        state = derive_state(entries)
        row = rows[aid]
        assert row["review_status"] == state.status  # the store reports what its log gives
        assert row["verdicts"] == {n: v for n, (v, _) in state.verdicts.items()}
        for name in runs:
            own = derive_state(e for e in entries if e.reviewer == name)
            assert {n: v for n, (v, _) in own.verdicts.items()} == (
                {name: row["verdicts"][name]} if name in row["verdicts"] else {}
            )
    assert len(stored) == articles  # the annotate run lost nothing either
    latencies = sorted(d["s"] for run in runs.values() for d in run["done"])
    seconds = max(r["end"] for r in runs.values()) - min(r["start"] for r in runs.values())
    p95 = latencies[int(0.95 * (len(latencies) - 1))] * 1000 if latencies else 0.0
    return Load(len(latencies), seconds, p95, len(stored))


@pytest.mark.slow
@pytest.mark.model
@pytest.mark.parametrize("backend", ["postgresql", "sqlite"], indirect=True)
def test_eight_reviewers_and_an_annotate_run_at_once(backend: str, tmp_path: Path) -> None:
    with new_target(backend, tmp_path) as target:
        load = run_load(target, tmp_path, REVIEWERS, DECISIONS, articles=24)
    assert load.decisions == REVIEWERS * DECISIONS
