"""The citation network: who cites whom across a corpus, as a directed graph (networkx).

A node is a publisher, an outlet of the registry, or a source the registry does not hold
(by its name; unnamed sources by their kind). An edge goes from a publisher to the source
it cites; a relayed claim ("X, cité par l'agence Y") makes two edges, publisher -> relay
and relay -> source. Each edge carries `claims` (also as `weight`, which Gephi reads), the
`anonymous_share` of those claims and the `first_date`/`last_date` of the articles; each
node its registry card in scalar attributes (GraphML and GEXF take no lists), for Gephi
and Cytoscape. Rejected attributions do not count (the caller passes `kept_claims`).
"""

from __future__ import annotations

import itertools
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import networkx as nx
import pandas as pd

from attribution.files import written
from attribution.model import UNNAMED_KINDS
from attribution.registry import Registry, normalize

PUBLISHER_COLOUR, SOURCE_COLOUR = "#4878a8", "#e0a040"
RELIED_ON_MIN = 2  # an outlet cited by this many publishers or more is one others rely on


def citation_graph(claims: pd.DataFrame, registry: Registry) -> Any:
    """The directed graph publisher -> cited source (see the module's doc)."""
    graph: Any = nx.DiGraph()
    nodes = _Nodes(graph, registry)
    for publisher, article, claimant, kind, outlet, via, date in zip(
        claims["publisher"],
        claims["article"],
        claims["claimant"],
        claims["source_kind"],
        claims["outlet"],
        claims["via"],
        claims["date_published"],
        strict=True,
    ):
        if kind == "publisher_self":
            continue  # self-citation: no edge
        pub = nodes.publisher(publisher if _text(publisher) else str(article))
        source = nodes.source(_text(outlet), _text(claimant), str(kind or "unnamed"))
        anonymous = kind in UNNAMED_KINDS
        path = [pub, nodes.outlet(via), source] if _text(via) else [pub, source]
        for a, b in itertools.pairwise(path):
            if a != b:
                _count(graph, a, b, anonymous, _text(date))
    for _, _, data in graph.edges(data=True):
        data["anonymous_share"] = round(data.pop("anonymous") / data["claims"], 3)
        data["weight"] = data["claims"]
    return graph


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _count(graph: Any, a: str, b: str, anonymous: bool, date: str) -> None:
    if not graph.has_edge(a, b):
        graph.add_edge(a, b, claims=0, anonymous=0, first_date="", last_date="")
    edge = graph.edges[a, b]
    edge["claims"] += 1
    edge["anonymous"] += int(anonymous)
    if date:
        edge["first_date"] = min(edge["first_date"] or date, date)
        edge["last_date"] = max(edge["last_date"], date)


@dataclass
class _Nodes:
    graph: Any
    registry: Registry
    publishers: dict[str, str] = field(default_factory=dict)  # name -> node

    def outlet(self, outlet_id: str) -> str:
        if outlet_id not in self.graph:
            o = self.registry.outlets.get(outlet_id)
            attrs = {"label": outlet_id, "type": "outlet", "in_registry": False}
            if o is not None:
                attrs = {
                    "label": o.name,
                    "type": o.type,
                    "in_registry": True,
                    "country": o.country or "",
                    "state_affiliated": o.state_affiliated,
                    "alignment": o.alignment.axis if o.alignment else "",
                    "reliability": o.reliability.level,
                    "owners": " | ".join(r.owner or r.name or "" for r in o.ownership),
                }
            self.graph.add_node(outlet_id, **attrs)
        return outlet_id

    def publisher(self, publisher: str) -> str:
        if publisher not in self.publishers:
            found = self.registry.outlet_of(publisher)
            node = self.outlet(found) if found else self._other(f"publisher:{publisher}", publisher)
            self.graph.nodes[node]["publisher"] = True
            self.publishers[publisher] = node
        return self.publishers[publisher]

    def source(self, outlet: str, claimant: str, kind: str) -> str:
        if outlet:
            return self.outlet(outlet)
        if claimant and kind not in UNNAMED_KINDS:
            return self._other(f"{kind}:{normalize(claimant)}", claimant, kind)
        return self._other(f"{kind}:", f"({kind.replace('_', ' ')} sources)", kind)

    def _other(self, node: str, label: str, kind: str = "publisher") -> str:
        if node not in self.graph:
            self.graph.add_node(node, label=label, type=kind, in_registry=False)
        return node


@dataclass(frozen=True)
class Metrics:
    degrees: list[tuple[str, int, int]]  # (label, in, out), most cited first
    relied_on: list[tuple[str, int]]  # outlets and the number of publishers citing them
    reciprocal: list[tuple[str, str]]  # pairs citing each other


def metrics(graph: Any) -> Metrics:
    label = {n: graph.nodes[n].get("label", n) for n in graph}
    degrees = sorted(
        ((label[n], graph.in_degree(n), graph.out_degree(n)) for n in graph),
        key=lambda d: (-d[1], -d[2], d[0]),
    )
    citers = {
        n: {p for p in graph.predecessors(n) if graph.nodes[p].get("publisher")} for n in graph
    }
    relied_on = sorted(
        (
            (label[n], len(ps))
            for n, ps in citers.items()
            if len(ps) >= RELIED_ON_MIN and graph.nodes[n].get("in_registry")
        ),
        key=lambda r: (-r[1], r[0]),
    )
    reciprocal = sorted(
        {
            tuple(sorted((label[a], label[b])))
            for a, b in graph.edges
            if a != b and (b, a) in graph.edges
        }
    )
    return Metrics(degrees, relied_on, [(a, b) for a, b in reciprocal])


def write_graph(graph: Any, path: Path, format: str) -> None:
    """The graph to a file, whole or not at all."""
    with written(path) as target:
        if format == "graphml":
            nx.write_graphml(graph, target)
        elif format == "gexf":
            nx.write_gexf(graph, target)
        elif format == "json":
            data = nx.node_link_data(graph, edges="edges")
            target.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        else:
            edges_frame(graph).to_csv(target, index=False)


def edges_frame(graph: Any) -> pd.DataFrame:
    """One row per edge, with both ends' labels."""
    rows = [
        {
            "source": a,
            "target": b,
            "source_label": graph.nodes[a].get("label", a),
            "target_label": graph.nodes[b].get("label", b),
            **{k: v for k, v in data.items() if k != "weight"},
        }
        for a, b, data in graph.edges(data=True)
    ]
    columns = ["source", "target", "source_label", "target_label", "claims", "anonymous_share"]
    return pd.DataFrame(rows, columns=[*columns, "first_date", "last_date"])


def plot_graph(graph: Any, path: str | IO[bytes], format: str | None = None) -> None:
    """A picture for a small corpus: outlet names as labels, publishers in one colour,
    cited sources in another, edges as wide as their claims."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    if format is None and isinstance(path, str):
        format = os.path.splitext(path)[1].lstrip(".").lower() or "png"
    size = max(6.0, min(20.0, 2.0 + 0.6 * len(graph)))
    fig, ax = plt.subplots(figsize=(size * 1.4, size))
    try:
        ax.set_title(
            f"Who cites whom: {graph.number_of_nodes()} publishers and sources, "
            f"{graph.number_of_edges()} citation links",
            fontweight="bold",
        )
        ax.axis("off")
        if len(graph):
            # spread out, and the same picture for the same corpus
            layout = nx.spring_layout(graph, k=2.5 / len(graph) ** 0.5, seed=18)
            publishers = [bool(graph.nodes[n].get("publisher")) for n in graph]
            colours = [PUBLISHER_COLOUR if p else SOURCE_COLOUR for p in publishers]
            sizes = [300 + 150 * graph.in_degree(n) for n in graph]
            nx.draw_networkx_nodes(graph, layout, node_color=colours, node_size=sizes, ax=ax)
            widths = [0.8 + 0.6 * d["claims"] for _, _, d in graph.edges(data=True)]
            nx.draw_networkx_edges(
                graph,
                layout,
                width=widths,
                arrowsize=14,
                edge_color="#777777",
                ax=ax,
                node_size=sizes,
                connectionstyle="arc3,rad=0.08",
            )
            labels = {n: _short(graph.nodes[n].get("label", n)) for n in graph}
            nx.draw_networkx_labels(graph, layout, labels, font_size=10, ax=ax)
            ax.legend(
                handles=[
                    Line2D([], [], marker="o", ls="", color=PUBLISHER_COLOUR, label="publisher"),
                    Line2D([], [], marker="o", ls="", color=SOURCE_COLOUR, label="cited source"),
                ],
                loc="lower right",
            )
        fig.tight_layout()
        fig.savefig(path, dpi=100, format=format or "png")
    finally:
        plt.close(fig)


def _short(label: str, chars: int = 28) -> str:
    return label if len(label) <= chars else label[: chars - 1] + "…"


def filter_claims(
    claims: pd.DataFrame, registry: Registry, since: str | None, publisher: str | None
) -> pd.DataFrame:
    """Claims of articles published since a date, and of one publisher (an id or a name)."""
    keep = pd.Series(True, index=claims.index)
    if since is not None:
        dates = claims["date_published"].fillna("").astype(str)
        keep &= dates.str.slice(0, len(since)) >= since
    if publisher is not None:
        wanted = registry.outlet_of(publisher) or publisher
        ids = {p: registry.outlet_of(p) or p for p in set(claims["publisher"]) if _text(p)}
        keep &= claims["publisher"].map(ids) == wanted
    return claims[keep]
