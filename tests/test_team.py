"""Team review in the app, on both backends: the team filters of the articles screen, and
an adjudicator's decision on a disputed attribution, logged as such."""

from __future__ import annotations

from typing import Any

from attribution.registry import load_registry
from attribution.store import ReviewPolicy, Store
from attribution.tui.app import ReviewApp
from attribution.tui.article import ArticleScreen
from attribution.tui.articles import ArticlesScreen
from tests.test_store import annotated


def fill(store: Store) -> dict[str, str]:
    """Three articles: a1 disputed by alice and bob, a2 flagged by alice (a second review
    is due), a3 untouched. Their attribution ids."""
    ids = {}
    for name, article in (("verb_que", "a1"), ("dapres", "a2"), ("selon_preposed", "a3")):
        store.save(annotated(name, article))
        ids[article] = store.attributions(article=article)[0]["id"]
    store.review(ids["a1"], "confirm", "alice")
    store.review(ids["a1"], "reject", "bob")
    store.review(ids["a2"], "flag", "alice")
    store.set_policy(ReviewPolicy(second_review=True))
    store.set_role("carol", "adjudicator")
    return ids


async def shown_with_each_filter(app: ReviewApp, pilot: Any) -> dict[str, list[str]]:
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ArticlesScreen)
    shown = {}
    for _ in range(6):
        shown[screen.status_filter] = sorted(r["id"] for r in screen.rows if screen._shown(r))
        await pilot.press("v")
        await pilot.pause()
    return shown


async def test_the_team_filters(target: str) -> None:
    with Store(target) as store:
        fill(store)
        app = ReviewApp(store, load_registry(use_user_file=False), "bob")
        async with app.run_test(size=(120, 40)) as pilot:
            shown = await shown_with_each_filter(app, pilot)
    assert shown["needs my review"] == ["a2", "a3"]  # a second review of a2, and a3
    assert shown["disputed"] == ["a1"]
    assert shown["needs adjudication"] == ["a1"]
    assert shown["all"] == ["a1", "a2", "a3"]


async def test_an_adjudicator_settles_a_dispute_from_the_app(target: str) -> None:
    with Store(target) as store:
        ids = fill(store)
        app = ReviewApp(store, load_registry(use_user_file=False), "carol")
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.press("enter")  # a1, the disputed one, comes first
            await pilot.pause()
            assert isinstance(app.screen, ArticleScreen)
            await pilot.press("r")
            await pilot.pause()
            await pilot.press("escape", "v", "v", "v", "v", "v")  # needs adjudication
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ArticlesScreen)
            assert screen.status_filter == "needs adjudication"
            assert [r["id"] for r in screen.rows if screen._shown(r)] == []
        last = store.review_log()[-1]
        assert (last.reviewer, last.action, last.role) == ("carol", "reject", "adjudicator")
        state = store.review_state(ids["a1"])
        assert (state.status, state.adjudicated, state.needs_adjudication) == (
            "rejected",
            "rejected",
            False,
        )
