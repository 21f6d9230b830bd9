"""A correction stays corrected everywhere: every reader of an attribution (the store's
rows, the exports, the audit, the app's claims table and source panel) sees what the
review log made of it, from the one place that derives it."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import DataTable, Static

from attribution.audit import audit
from attribution.export import claims_frame, write_table
from attribution.model import Span
from attribution.pipeline import AnnotatedArticle
from attribution.registry import load_registry
from attribution.store import Store
from attribution.tui.app import ReviewApp
from attribution.tui.article import ArticleScreen
from tests.test_store import annotated


def with_antecedent() -> AnnotatedArticle:
    """'Le ministère de la Santé a affirmé…' with its source as a pronoun would have it:
    a mention that refers back to an antecedent, and a description of it."""
    article = annotated("verb_que", "a1")
    [found] = article.attributions
    assert found.source is not None
    text = article.article.text
    source = replace(
        found.source,
        resolved=Span(0, 24, text[0:24]),
        description=Span(3, 12, text[3:12]),
    )
    return replace(article, attributions=[replace(found, source=source)])


def shown(widget: Static) -> str:
    """The text a Static shows, as a reader sees it."""
    console = Console(width=100, record=True, file=io.StringIO())
    console.print(widget.content)
    return console.export_text()


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store(tmp_path / "a.db") as s:
        s.save(with_antecedent())
        yield s


def test_a_reassigned_source_replaces_the_claimant_everywhere(store: Store, tmp_path: Path) -> None:
    [row] = store.attributions()
    assert row["claimant"] == "Le ministère de la Santé"
    store.review(row["id"], "reassign_source", "alice", "le front Al-Nour")
    [row] = store.attributions()
    assert (row["source"], row["claimant"]) == ("le front Al-Nour", "le front Al-Nour")
    assert row["source_resolved"] is None
    assert row["source_description"] is None
    registry = load_registry(use_user_file=False)
    frame = claims_frame(store, registry)
    assert frame.loc[0, ["source", "claimant"]].tolist() == ["le front Al-Nour"] * 2
    assert frame.loc[0, "source_resolved"] is None
    out = tmp_path / "claims.jsonl"
    write_table(frame, out)
    [line] = out.read_text(encoding="utf-8").splitlines()
    exported = json.loads(line)
    assert (exported["source"], exported["claimant"], exported["source_resolved"]) == (
        "le front Al-Nour",
        "le front Al-Nour",
        None,
    )
    [corpus] = [r for r in audit(frame, store.articles(), registry) if r.scope == "corpus"]
    assert corpus.attributions == 1


def test_a_linked_outlet_and_a_set_kind_reach_every_reader(store: Store) -> None:
    [row] = store.attributions()
    store.review(row["id"], "link_outlet", "alice", "reuters")
    store.review(row["id"], "set_kind", "alice", "outlet")
    registry = load_registry(use_user_file=False)
    frame = claims_frame(store, registry)
    assert frame.loc[0, ["outlet", "source_kind"]].tolist() == ["reuters", "outlet"]
    assert frame.loc[0, "outlet_name"] == registry.outlets["reuters"].name
    [article_row] = [r for r in audit(frame, store.articles(), registry) if r.scope == "article"]
    assert article_row.independent_outlets == 1
    assert article_row.kinds == {"outlet": 1}


async def test_the_app_shows_the_reviewed_source_in_its_table_and_panel(store: Store) -> None:
    app = ReviewApp(store, load_registry(use_user_file=False), "alice")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        await pilot.press("s", "ctrl+u", *"le front Al-Nour", "enter")
        await pilot.pause()
        table = screen.query_one("#claims", DataTable)
        assert str(table.get_row_at(0)[2]) == "le front Al-Nour"
        panel = shown(screen.query_one("#source", Static))
        assert "le front Al-Nour" in panel
        assert "Le ministère de la Santé" not in panel  # the old antecedent is gone
