"""The review app, driven with Textual's pilot: every action lands in the review log."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from attribution.registry import load_registry
from attribution.store import Store
from attribution.tui.app import ReviewApp
from attribution.tui.article import ArticleScreen
from attribution.tui.articles import ArticlesScreen
from attribution.tui.modals import Help
from tests.test_store import annotated

ROOT = Path(__file__).parent.parent


def filled_store(path: Path) -> Store:
    store = Store(path)
    store.save(annotated("verb_que", "a1-ministere"))
    store.save(annotated("selon_preposed", "a2-al-nour"))
    store.save(annotated("dapres", "a3-reuters"))
    return store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with filled_store(tmp_path / "a.db") as s:
        yield s


def make_app(store: Store, reviewer: str = "alice") -> ReviewApp:
    return ReviewApp(store, load_registry(use_user_file=False), reviewer)


def actions(store: Store) -> list[tuple[str, str | None]]:
    return [(e.action, e.value) for e in store.review_log()]


async def open_first(pilot: Any) -> None:
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


async def test_articles_list_shows_progress(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ArticlesScreen)
        table = screen.query_one("#articles")
        assert table.row_count == 3
        await pilot.press("slash", *"reuters", "enter")
        await pilot.pause()
        assert table.row_count == 1
        await pilot.press("slash", "ctrl+u", "enter")  # an empty filter shows everything again
        await pilot.pause()
        assert table.row_count == 3
        await pilot.press("v")  # only articles still to review
        await pilot.pause()
        assert table.row_count == 3


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        (["c"], [("confirm", None)]),
        (["r"], [("reject", None)]),
        (["f"], [("flag", None)]),
        (["s", "ctrl+u", *"le ministère", "enter"], [("reassign_source", "le ministère")]),
        (["l", "ctrl+u", *"reuters", "enter"], [("link_outlet", "reuters")]),
        (["L"], [("link_outlet", "")]),
        (["t", "down", "enter"], [("set_kind", "official")]),
        (["a", "ctrl+u", *"39:46", "enter"], [("edit_claim", "39:46")]),
        (["m", *"à vérifier", "enter"], [("note", "à vérifier")]),
        (["m", *"abandon", "escape"], []),
        (["c", "u"], [("confirm", None), ("undo", "1")]),
        (["c", "u", "U"], [("confirm", None), ("undo", "1"), ("undo", "2")]),
    ],
)
async def test_each_action_is_written_to_the_log(
    store: Store, keys: list[str], expected: list[tuple[str, str | None]]
) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first(pilot)
        assert isinstance(app.screen, ArticleScreen)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        assert actions(store) == expected
        assert all(e.reviewer == "alice" for e in store.review_log())


async def test_undo_and_redo_change_the_derived_state(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first(pilot)
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        aid = screen.rows[0]["id"]
        await pilot.press("r")
        await pilot.pause()
        assert store.review_state(aid).status == "rejected"
        await pilot.press("u")
        await pilot.pause()
        assert store.review_state(aid).status == "pending"
        await pilot.press("U")
        await pilot.pause()
        assert store.review_state(aid).status == "rejected"


async def test_moving_between_articles_and_the_help(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first(pilot)
        first = app.screen.article_id  # type: ignore[attr-defined]
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert app.screen.article_id != first  # type: ignore[attr-defined]
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, Help)
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ArticlesScreen)


async def test_reopening_lands_where_the_reviewer_was(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first(pilot)
        article = app.screen.article_id  # type: ignore[attr-defined]
    again = make_app(store)
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, ArticleScreen)
        assert again.screen.article_id == article


async def test_export_writes_the_shown_claims(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.exported is not None
        assert len((tmp_path / app.exported).read_text(encoding="utf-8").splitlines()) == 4


def _decide_and_die(path: str) -> None:
    import asyncio

    async def run() -> None:
        with Store(path) as store:
            app = make_app(store, "crash")
            async with app.run_test(size=(80, 24)) as pilot:
                await open_first(pilot)
                await pilot.press("c")
                os.kill(os.getpid(), signal.SIGKILL)  # no clean exit, no flush, no goodbye

    asyncio.run(run())


def test_a_crash_right_after_a_decision_loses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    filled_store(path).close()
    code = (
        "import sys; sys.path.insert(0, sys.argv[2]);"
        "from tests.test_tui import _decide_and_die; _decide_and_die(sys.argv[1])"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(path), str(ROOT)], check=False)
    assert proc.returncode == -signal.SIGKILL
    with Store(path) as store:
        assert [(e.action, e.reviewer) for e in store.review_log()] == [("confirm", "crash")]


Snap = Callable[..., bool]


async def _article(pilot: Any) -> None:
    await open_first(pilot)


async def _help(pilot: Any) -> None:
    await open_first(pilot)
    await pilot.press("question_mark")
    await pilot.pause()


async def _audit(pilot: Any) -> None:
    await open_first(pilot)
    await pilot.click("#panels Tab#--content-tab-audit-tab")
    await pilot.pause()


async def _modal(pilot: Any) -> None:
    await open_first(pilot)
    await pilot.press("t")
    await pilot.pause()


SCREENS: dict[str, Callable[[Any], Awaitable[None]] | None] = {
    "articles": None,
    "article": _article,
    "audit": _audit,
    "help": _help,
    "kind": _modal,
}


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screens_look_right(
    snap_compare: Snap, tmp_path: Path, screen: str, size: tuple[int, int]
) -> None:
    store = filled_store(tmp_path / "a.db")
    app = make_app(store, "snapshot")
    assert snap_compare(app, terminal_size=size, run_before=SCREENS[screen])


@pytest.mark.model
async def test_paths_are_annotated_in_the_background(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(
        "Selon le quotidien libanais Assafir, la route est coupée.\n", encoding="utf-8"
    )
    with Store(tmp_path / "a.db") as store:
        app = ReviewApp(store, load_registry(use_user_file=False), "alice", [article])
        async with app.run_test(size=(80, 24)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            screen = app.articles_screen()
            assert screen is not None
            assert screen.query_one("#articles").row_count == 1
        [row] = store.attributions()
        assert row["outlet"] == "assafir"
