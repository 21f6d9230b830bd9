"""Agreement between reviewers: the statistics on textbook data, then on both backends."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from attribution.agreement import (
    Item,
    agreement,
    cohen_kappa,
    collect,
    disputed,
    krippendorff_alpha,
    raw_agreement,
)
from attribution.store import Store
from tests.test_store import annotated


def test_cohen_kappa_on_a_textbook_table() -> None:
    # 50 items: both yes 20, yes/no 5, no/yes 10, both no 15 → po 0.7, pe 0.5, kappa 0.4
    pairs = [("yes", "yes")] * 20 + [("yes", "no")] * 5 + [("no", "yes")] * 10 + [("no", "no")] * 15
    assert cohen_kappa(pairs) == pytest.approx(0.4)
    assert cohen_kappa([("yes", "yes")] * 3) is None  # one category: chance explains it all
    assert cohen_kappa([]) is None


def test_krippendorff_alpha_on_krippendorffs_nominal_example() -> None:
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability": four observers,
    # twelve units, missing values; nominal alpha = 0.743
    observers = [
        "1 2 3 3 2 1 4 1 2 . . .",
        "1 2 3 3 2 2 4 1 2 5 . 3",
        ". 3 3 3 2 3 4 2 2 5 1 .",
        "1 2 3 3 2 4 4 1 2 5 1 .",
    ]
    table = [row.split() for row in observers]
    units = [[row[u] for row in table if row[u] != "."] for u in range(12)]
    assert krippendorff_alpha(units) == pytest.approx(0.743, abs=0.001)
    # two observers, no missing value: alpha and kappa are close (alpha corrects for n)
    pairs = [("a", "a"), ("a", "b"), ("b", "b"), ("b", "b"), ("a", "a"), ("c", "c")]
    alpha = krippendorff_alpha([list(p) for p in pairs])
    kappa = cohen_kappa(pairs)
    assert alpha is not None
    assert kappa is not None
    assert alpha == pytest.approx(kappa, abs=0.1)


def item(aid: str, kind: str, **verdicts: str) -> Item:
    return Item(aid, "a1", "x", kind, verdicts, "confirmed", False)


def test_groups_pairs_and_the_disputed_list() -> None:
    items = [
        item("1", "outlet", alice="confirmed", bob="confirmed"),
        item("2", "outlet", alice="rejected", bob="confirmed"),
        item("3", "official", alice="flagged", bob="flagged", carol="rejected"),
        item("4", "official", bob="rejected", carol="rejected"),
    ]
    # pairs agreeing, averaged over attributions: 1, 0, 1/3, 1
    assert raw_agreement(items) == pytest.approx((1 + 0 + 1 / 3 + 1) / 4)
    rows = {(r.scope, r.group): r for r in agreement(items)}
    assert rows["overall", ""].statistic == "krippendorff_alpha"  # three reviewers
    assert rows["overall", ""].attributions == 4
    assert rows["source_kind", "outlet"].statistic == "cohen_kappa"  # two reviewers there
    assert rows["source_kind", "outlet"].raw_agreement == pytest.approx(0.5)
    assert rows["pair", "alice+bob"].attributions == 3
    assert rows["pair", "bob+carol"].raw_agreement == pytest.approx(0.5)
    assert ("pair", "alice+carol") in rows
    assert [d["attribution_id"] for d in disputed(items)] == ["2", "3"]
    assert disputed(items)[1]["verdicts"] == "alice=flagged; bob=flagged; carol=rejected"


def test_agreement_from_a_store(target: str) -> None:
    with Store(target) as store:
        store.save(annotated())
        store.save(annotated("dapres", "a2"))
        store.save(annotated("selon_preposed", "a3"))
        first, second, third = (r["id"] for r in store.attributions())
        store.review(first, "confirm", "alice")
        store.review(first, "confirm", "bob")
        store.review(second, "confirm", "alice")
        wrong = store.review(second, "confirm", "bob")
        store.undo(wrong, "bob")  # an undone verdict is no verdict
        store.review(second, "reject", "bob")
        store.review(third, "confirm", "alice")  # one reviewer: not counted
        store.set_role("carol", "adjudicator")
        store.review(second, "reject", "carol", adjudicate=True)  # not a verdict
        items = collect(store)
        assert [(i.attribution_id, i.verdicts) for i in items] == [
            (first, {"alice": "confirmed", "bob": "confirmed"}),
            (second, {"alice": "confirmed", "bob": "rejected"}),
        ]
        assert items[1].adjudicated
        assert collect(store, since="2999-01-01") == []


def test_the_agreement_command(target: str, tmp_path: Path) -> None:
    with Store(target) as store:
        store.save(annotated())
        [row] = store.attributions()
        store.review(row["id"], "confirm", "alice")
        store.review(row["id"], "reject", "bob")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "attribution.cli", "agreement", "--db", target, *args],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            check=False,
        )

    done = run("--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["agreement"][0]["raw_agreement"] == 0.0
    assert report["disputed"][0]["verdicts"] == "alice=confirmed; bob=rejected"
    done = run("--format", "csv", "--disputed")
    assert done.stdout.splitlines()[0].startswith("article,attribution_id,source")
    done = run()
    assert "disputed attributions: 1" in done.stdout
    assert run("--since", "yesterday").returncode != 0
