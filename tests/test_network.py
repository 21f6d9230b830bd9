"""The citation network on articles written for these tests: written in each format and
read back with networkx, as Gephi and Cytoscape would read it."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pytest

from attribution.audit import kept_claims
from attribution.export import claims_frame
from attribution.network import citation_graph, filter_claims, metrics
from attribution.registry import Registry, load_registry
from attribution.store import Store
from tests.test_corroborate import record as article
from tests.test_corroborate import run_cli

BRIDGE = "le pont de Morlanne s'est effondré mardi"
FLOOD = "la crue de la Sarre a atteint six mètres"


@pytest.fixture
def registry() -> Registry:
    return load_registry(use_user_file=False)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Le Monde cites the AFP twice (once relaying anonymous sources) and Reuters; Reuters
    cites Le Monde; a publisher outside the registry cites the ministry; one claim of Le
    Monde's is rejected."""
    path = tmp_path / "n.db"
    with Store(path) as store:
        store.save(
            article(
                "m1",
                "le-monde",
                "2026-03-01",
                [
                    {"claim": BRIDGE, "source": "l'AFP", "outlet": "afp"},
                    {"claim": FLOOD, "source": "des témoins", "kind": "witness", "via": "afp"},
                    {"claim": "la route est coupée", "source": "Reuters", "outlet": "reuters"},
                    {"claim": "le maire a démissionné", "source": "TASS", "outlet": "tass"},
                ],
            )
        )
        store.save(
            article(
                "r1",
                "reuters",
                "2026-03-04",
                [{"claim": BRIDGE, "source": "Le Monde", "outlet": "le-monde"}],
            )
        )
        store.save(
            article(
                "x1",
                "Le Courrier de Morlanne",
                "2026-02-20",
                [{"claim": FLOOD, "source": "le ministère de l'Intérieur", "kind": "official"}],
            )
        )
        [*_, tass] = store.attributions(article="m1")
        store.review(tass["id"], "reject", "alice")
    return path


def graph_of(db: Path, registry: Registry, **filters: str | None) -> nx.DiGraph:
    with Store(db) as store:
        claims = kept_claims(claims_frame(store, registry))
    return citation_graph(
        filter_claims(claims, registry, filters.get("since"), filters.get("publisher")),
        registry,
    )


def test_edges_nodes_and_their_attributes(db: Path, registry: Registry) -> None:
    g = graph_of(db, registry)
    assert sorted(g.edges) == [
        ("afp", "witness:"),
        ("le-monde", "afp"),
        ("le-monde", "reuters"),
        ("publisher:Le Courrier de Morlanne", "official:ministere de l interieur"),
        ("reuters", "le-monde"),
    ]
    edge = g.edges["le-monde", "afp"]
    assert (edge["claims"], edge["anonymous_share"]) == (2, 0.5)  # one relays witnesses
    assert (edge["first_date"], edge["last_date"]) == ("2026-03-01", "2026-03-01")
    assert g.nodes["afp"]["label"] == "Agence France-Presse"
    assert g.nodes["afp"]["country"] == "FR"
    assert "tass" not in g  # the rejected claim made no edge
    m = metrics(g)
    assert m.reciprocal == [("Le Monde", "Reuters")]


def test_filters_by_date_and_publisher(db: Path, registry: Registry) -> None:
    assert sorted(graph_of(db, registry, since="2026-03-02").edges) == [("reuters", "le-monde")]
    assert sorted(graph_of(db, registry, publisher="Le Monde").edges) == [
        ("afp", "witness:"),  # the relay's edge
        ("le-monde", "afp"),
        ("le-monde", "reuters"),
    ]


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_written_for_gephi_and_read_back(db: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"net.{fmt}"
    done = run_cli("network", "--db", str(db), "-o", str(out))
    assert done.returncode == 0, done.stderr
    back = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
    assert back.is_directed()
    assert back.number_of_edges() == 5
    assert int(back.edges["le-monde", "afp"]["claims"]) == 2
    assert float(back.edges["le-monde", "afp"]["anonymous_share"]) == 0.5
    label = back.nodes["afp"]["label"]
    assert label == "Agence France-Presse"
    assert "Le Monde ⇄ Reuters" in done.stdout  # the metrics
    assert "Agence France-Presse" in done.stdout


def test_csv_json_and_the_picture(db: Path, tmp_path: Path) -> None:
    done = run_cli(
        "network", "--db", str(db), "-o", str(tmp_path / "e.csv"), "--plot", str(tmp_path / "n.png")
    )
    assert done.returncode == 0, done.stderr
    with (tmp_path / "e.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {(r["source_label"], r["target_label"], r["claims"]) for r in rows} >= {
        ("Le Monde", "Agence France-Presse", "2")
    }
    assert (tmp_path / "n.png").read_bytes().startswith(b"\x89PNG")
    done = run_cli("network", "--db", str(db), "-o", str(tmp_path / "n.json"))
    assert done.returncode == 0, done.stderr
    back = nx.node_link_graph(json.loads((tmp_path / "n.json").read_text()), edges="edges")
    assert back.number_of_edges() == 5


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["-o", "net.txt"], "net.txt: say the format"),
        (["-o", "net.graphml", "--since", "yesterday"], "--since must be an ISO date"),
    ],
)
def test_bad_arguments_are_one_line(db: Path, tmp_path: Path, args: list[str], says: str) -> None:
    done = run_cli(
        "network", "--db", str(db), *[str(tmp_path / a) if a.startswith("net") else a for a in args]
    )
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1
    assert says in done.stderr


def test_a_bad_store_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "bad.db").write_text("no database here\n" * 300)
    done = run_cli("network", "--db", str(tmp_path / "bad.db"), "-o", str(tmp_path / "n.gexf"))
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "bad.db" in done.stderr
    assert not (tmp_path / "n.gexf").exists()
