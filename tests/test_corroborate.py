"""Claim corroboration on articles written for these tests: which claims report one fact,
and how many independent origins stand behind them."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from attribution.corroborate import (
    Cluster,
    also_reported,
    normalize_claim,
    numbers,
    ownership_groups,
    store_clusters,
)
from attribution.model import Article
from attribution.output import ArticleRecord
from attribution.registry import Registry, load_registry
from attribution.store import Store

ROOT = Path(__file__).parent.parent


def record(
    article_id: str, publisher: str | None, date: str, claims: list[dict[str, Any]]
) -> ArticleRecord:
    """An annotated article as the store saves it: each claim a sentence of its own,
    "<source> a déclaré que <claim>."; a claim gives `claim`, `source`, and optionally
    `kind` (default outlet), `outlet` and `via`."""
    text, rows = "", []
    for k, c in enumerate(claims):
        source = c.get("source") or "On"
        sentence = f"{source} a déclaré que {c['claim']}."
        start = len(text) + len(source) + len(" a déclaré que ")
        rows.append(
            {
                "article": article_id,
                "attribution_id": hashlib.sha1(f"{article_id}/{k}".encode()).hexdigest()[:16],
                "sentence": sentence,
                "claim": c["claim"],
                "claim_start": start,
                "claim_end": start + len(c["claim"]),
                "cue": "a déclaré",
                "cue_type": "speech_verb",
                "source": c.get("source"),
                "source_start": len(text) if c.get("source") else None,
                "source_end": len(text) + len(source) if c.get("source") else None,
                "source_kind": c.get("kind", "outlet"),
                "source_resolved": None,
                "source_description": None,
                "outlet": c.get("outlet"),
                "via": c.get("via"),
                "outlet_match": None,
                "direct_quote": False,
                "confidence": 0.9,
                "registry_hash": "test",
            }
        )
        text += sentence + "\n"
    article = Article(
        id=article_id, text=text, title=article_id, date=date, publisher=publisher, lang="fr"
    )
    return ArticleRecord(article, rows, (len(claims), len(claims), 0), "test", "test")


BRIDGE = "le pont de Morlanne s'est effondré mardi et 12 personnes ont été blessées"
BRIDGE_AGAIN = "Le pont de Morlanne s'est effondré mardi ; 12 personnes ont été blessées"
BRIDGE_OTHER_TOLL = "le pont de Morlanne s'est effondré mardi et 15 personnes ont été blessées"
HARBOUR = "le port de Sélinès a rouvert jeudi après deux semaines de grève des dockers"


@pytest.fixture
def registry() -> Registry:
    return load_registry(use_user_file=False)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store(tmp_path / "c.db") as s:
        yield s


def clusters_of(store: Store, registry: Registry) -> list[Cluster]:
    return store_clusters(store, registry)


def test_numbers_are_read_one_way() -> None:
    assert normalize_claim("1 500 morts, 12,5 % ; 31'500 touristes et treize blessés") == (
        "1500 morts 12.5 31500 touristes et 13 blesses"
    )
    assert numbers(normalize_claim("Le bilan : 2.316 morts et 13 293 blessés")) == {
        "2316",
        "13293",
    }


def test_one_fact_from_independent_outlets(store: Store, registry: Registry) -> None:
    store.save(record("a1", "le-monde", "2026-03-01", [{"claim": BRIDGE, "outlet": "afp"}]))
    store.save(
        record("a2", "le-figaro", "2026-03-02", [{"claim": BRIDGE_AGAIN, "outlet": "reuters"}])
    )
    store.save(record("a3", "liberation", "2026-03-02", [{"claim": HARBOUR, "outlet": "ap"}]))
    [cluster] = clusters_of(store, registry)
    assert cluster.articles == ["a1", "a2"]
    assert list(cluster.origins.values()) == ["Agence France-Presse", "Reuters"]
    assert cluster.flags == ()
    [row] = store.attributions(article="a1")
    assert also_reported([cluster], "a1", row["id"]) == (
        "also reported by Le Figaro (2 independent origins)"
    )
    [harbour] = store.attributions(article="a3")
    assert also_reported([cluster], "a3", harbour["id"]) is None


def test_numbers_that_disagree_are_two_facts(store: Store, registry: Registry) -> None:
    store.save(record("a1", "le-monde", "2026-03-01", [{"claim": BRIDGE, "outlet": "afp"}]))
    store.save(
        record("a2", "le-figaro", "2026-03-01", [{"claim": BRIDGE_OTHER_TOLL, "outlet": "afp"}])
    )
    assert clusters_of(store, registry) == []


def test_a_claim_without_numbers_does_not_join_two_tolls(store: Store, registry: Registry) -> None:
    store.save(record("a1", "le-monde", "2026-03-01", [{"claim": BRIDGE, "outlet": "afp"}]))
    store.save(
        record("a2", "le-figaro", "2026-03-01", [{"claim": BRIDGE_OTHER_TOLL, "outlet": "afp"}])
    )
    vague = "le pont de Morlanne s'est effondré mardi et des personnes ont été blessées"
    store.save(record("a3", "la-croix", "2026-03-01", [{"claim": vague, "outlet": "afp"}]))
    [cluster] = clusters_of(store, registry)
    assert len(cluster.articles) == 2
    assert "a3" in cluster.articles


def test_a_single_origin_behind_every_report(store: Store, registry: Registry) -> None:
    """Three outlets, one origin: the ministry (named directly, or relayed by an agency),
    and a publisher's own anonymous sources relayed by the same ministry's words."""
    ministry = {"source": "Le ministère de l'Intérieur", "kind": "official"}
    store.save(record("a1", "le-monde", "2026-03-01", [{"claim": BRIDGE, **ministry}]))
    store.save(
        record("a2", "le-figaro", "2026-03-01", [{"claim": BRIDGE_AGAIN, **ministry, "via": "afp"}])
    )
    store.save(record("a3", "la-croix", "2026-03-02", [{"claim": BRIDGE, **ministry}]))
    [cluster] = clusters_of(store, registry)
    assert len(cluster.articles) == 3
    assert list(cluster.origins.values()) == ["Le ministère de l'Intérieur"]
    assert cluster.flags == (
        "single origin: every report traces back to Le ministère de l'Intérieur",
    )


def test_anonymous_sources_count_for_their_relay(store: Store, registry: Registry) -> None:
    relayed = {"source": "des sources sécuritaires", "kind": "anonymous", "via": "reuters"}
    store.save(record("a1", "le-monde", "2026-03-01", [{"claim": BRIDGE, **relayed}]))
    store.save(record("a2", "le-figaro", "2026-03-01", [{"claim": BRIDGE_AGAIN, **relayed}]))
    [cluster] = clusters_of(store, registry)
    assert list(cluster.origins.values()) == ["Reuters"]
    assert cluster.flags[0].startswith("single origin")


def test_circular_reporting_between_two_outlets(store: Store, registry: Registry) -> None:
    """Le Monde cites Reuters, and Reuters cites Le Monde, for the same fact."""
    store.save(record("a1", "le-monde", "2026-03-01", [{"claim": BRIDGE, "outlet": "reuters"}]))
    store.save(
        record("a2", "reuters", "2026-03-02", [{"claim": BRIDGE_AGAIN, "outlet": "le-monde"}])
    )
    [cluster] = clusters_of(store, registry)
    assert "circular reporting: Le Monde → Reuters → Le Monde" in cluster.flags


def test_an_outlet_citing_a_relay_of_its_own_story(store: Store, registry: Registry) -> None:
    """Le Figaro cites the AFP, which itself cites Le Figaro: its own story, back."""
    store.save(record("a1", "le-figaro", "2026-03-01", [{"claim": BRIDGE, "outlet": "afp"}]))
    store.save(
        record(
            "a2",
            "le-figaro",
            "2026-03-02",
            [{"claim": BRIDGE_AGAIN, "source": "Le Figaro", "outlet": "le-figaro", "via": "afp"}],
        )
    )
    [cluster] = clusters_of(store, registry)
    assert any(f.startswith("circular reporting: ") for f in cluster.flags), cluster.flags


def test_only_state_affiliated_origins(store: Store, registry: Registry) -> None:
    store.save(record("a1", "le-monde", "2026-03-01", [{"claim": HARBOUR, "outlet": "tass"}]))
    store.save(
        record("a2", "le-figaro", "2026-03-01", [{"claim": HARBOUR, "outlet": "ria-novosti"}])
    )
    [cluster] = clusters_of(store, registry)
    assert len(cluster.origins) == 2
    assert "only state-affiliated origins" in cluster.flags
    assert any(f.startswith("every origin has one alignment") for f in cluster.flags)


def test_outlets_of_one_owner_are_one_origin(registry: Registry) -> None:
    groups = ownership_groups(registry)
    assert groups["ria-novosti"] == groups["sputnik"]
    assert groups["afp"] != groups["reuters"]


def test_a_rejected_claim_does_not_count(store: Store, registry: Registry) -> None:
    store.save(record("a1", "le-monde", "2026-03-01", [{"claim": BRIDGE, "outlet": "afp"}]))
    store.save(record("a2", "le-figaro", "2026-03-01", [{"claim": BRIDGE, "outlet": "reuters"}]))
    assert len(clusters_of(store, registry)) == 1
    [row] = store.attributions(article="a2")
    store.review(row["id"], "reject", "alice")
    assert clusters_of(store, registry) == []


def test_a_short_claim_fits_any_story(store: Store, registry: Registry) -> None:
    store.save(record("a1", "le-monde", "2026-03-01", [{"claim": "le bilan est provisoire"}]))
    store.save(record("a2", "le-figaro", "2026-03-01", [{"claim": "le bilan est provisoire"}]))
    assert clusters_of(store, registry) == []


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "attribution", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def test_the_command_prints_the_clusters(tmp_path: Path) -> None:
    with Store(tmp_path / "c.db") as store:
        store.save(record("a1", "le-monde", "2026-03-01", [{"claim": BRIDGE, "outlet": "afp"}]))
        store.save(record("a2", "le-figaro", "2026-03-01", [{"claim": BRIDGE, "outlet": "afp"}]))
    done = run_cli("corroborate", str(tmp_path / "c.db"))
    assert done.returncode == 0, done.stderr
    assert "single origin" in done.stdout
    assert "Morlanne" in done.stdout


@pytest.mark.parametrize("content", [None, b"not a database at all, only text\n" * 200])
def test_a_bad_store_is_one_line(tmp_path: Path, content: bytes | None) -> None:
    path = tmp_path / "bad.db"
    if content is not None:
        path.write_bytes(content)
    done = run_cli("corroborate", str(path))
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "bad.db" in done.stderr
    assert "Traceback" not in done.stderr


async def test_the_review_app_says_who_else_reports_the_claim(
    tmp_path: Path, registry: Registry
) -> None:
    import io

    from rich.console import Console
    from textual.widgets import Static

    from attribution.tui.app import ReviewApp
    from attribution.tui.article import ArticleScreen

    with Store(tmp_path / "c.db") as store:
        store.save(record("a1", "le-monde", "2026-03-01", [{"claim": BRIDGE, "outlet": "afp"}]))
        store.save(
            record("a2", "le-figaro", "2026-03-02", [{"claim": BRIDGE_AGAIN, "outlet": "reuters"}])
        )
        store.save(record("a3", "la-croix", "2026-03-02", [{"claim": BRIDGE, "outlet": "afp"}]))
        store.save(record("a4", "liberation", "2026-03-02", [{"claim": HARBOUR, "outlet": "ap"}]))
        app = ReviewApp(store, registry, "alice")

        def source_panel() -> str:
            console = Console(width=200, record=True, file=io.StringIO())
            console.print(app.screen.query_one("#source", Static).content)
            return console.export_text()

        async with app.run_test(size=(160, 50)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("enter")  # the first article: a1
            await pilot.pause()
            assert isinstance(app.screen, ArticleScreen)
            assert app.screen.article_id == "a1"
            assert "also reported by Le Figaro, La Croix (2 independent origins)" in source_panel()
            app.open_article("a4")  # its claim: no other article reports it
            await pilot.pause()
            assert isinstance(app.screen, ArticleScreen)
            assert app.screen.article_id == "a4"
            assert "also reported" not in source_panel()


def test_the_report_of_a_stored_article_says_who_else_reports_its_claims(
    tmp_path: Path,
) -> None:
    db = tmp_path / "r.db"
    with Store(db) as s:
        s.save(record("a1", "le-monde", "2026-03-01", [{"claim": BRIDGE, "outlet": "afp"}]))
        s.save(
            record("a2", "le-figaro", "2026-03-02", [{"claim": BRIDGE_AGAIN, "outlet": "reuters"}])
        )
    out = tmp_path / "a1.html"
    done = subprocess.run(
        [sys.executable, "-m", "attribution", "report", "a1", "--db", str(db), "-o", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "also reported by Le Figaro (2 independent origins)" in out.read_text(encoding="utf-8")
