"""Two reviewers on one store at once, on both backends: every decision lands; the last
one wins."""

from __future__ import annotations

import multiprocessing

from attribution.store import Store
from tests.test_store import annotated

ROUNDS = 40


def _review(path: str, name: str, action: str) -> None:
    with Store(path) as store:
        ids = [row["id"] for row in store.attributions()]
        for k in range(ROUNDS):
            store.review(ids[k % len(ids)], action, name)  # type: ignore[arg-type]


def test_two_reviewers_deciding_on_the_same_attributions(target: str) -> None:
    path = target
    with Store(path) as store:
        store.save(annotated("verb_que", "a1"))
        store.save(annotated("dapres", "a2"))
    ctx = multiprocessing.get_context("spawn")
    procs = [
        ctx.Process(target=_review, args=(path, "alice", "confirm")),
        ctx.Process(target=_review, args=(path, "bob", "reject")),
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    with Store(path) as store:
        log = store.review_log()
        assert len(log) == 2 * ROUNDS
        assert sum(e.reviewer == "alice" for e in log) == ROUNDS
        for row in store.attributions():
            entries = store.review_log(row["id"])
            last = entries[-1]
            assert row["review_status"] == ("confirmed" if last.action == "confirm" else "rejected")
            assert row["reviewer"] == last.reviewer
            assert {e.reviewer for e in entries} == {"alice", "bob"}  # both kept in history
