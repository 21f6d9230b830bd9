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
        (["t", "up", "enter"], [("set_kind", "outlet")]),  # the picker starts on "official"
        (["A", "ctrl+u", *"39:46", "enter"], [("edit_claim", "39:46")]),
        (["a", "shift+left", "shift+left", "enter"], [("edit_claim", "39:46")]),
        (["a", "shift+left", "escape"], []),
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


async def _span(pilot: Any) -> None:
    await open_first(pilot)
    await pilot.press("a", "shift+left")
    await pilot.pause()


SCREENS: dict[str, Callable[[Any], Awaitable[None]] | None] = {
    "articles": None,
    "article": _article,
    "audit": _audit,
    "help": _help,
    "kind": _modal,
    "span": _span,
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


def four_claims() -> Any:
    """One article, four attributions (a word each), of unequal confidence."""
    from dataclasses import replace

    from attribution.model import Span

    base = annotated("verb_que", "b-three")
    [found] = base.attributions
    text = base.article.text
    claims = [(39, 41, 0.9), (42, 46, 0.5), (47, 53, 0.2), (54, 62, 0.8)]
    attributions = [replace(found, claim=Span(a, b, text[a:b]), confidence=c) for a, b, c in claims]
    return replace(base, attributions=attributions)


async def test_q_quits_from_every_screen_and_the_position_is_kept(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
    assert not app.is_running
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first(pilot)
        article = app.screen.article_id  # type: ignore[attr-defined]
        await pilot.press("escape")  # back to the articles, then out
        await pilot.pause()
        assert isinstance(app.screen, ArticlesScreen)
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running
    again = make_app(store)
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, ArticleScreen)
        assert again.screen.article_id == article
        await pilot.press("q")  # from an article too
        await pilot.pause()
    assert not again.is_running


async def test_next_article_follows_the_shown_sort_and_filter(store: Store) -> None:
    app = make_app(store)
    notes: list[str] = []
    app.notify = lambda message, **_: notes.append(str(message))  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ArticlesScreen)
        await pilot.press("o")  # sorted by date: all equal, so by the store's order
        await pilot.press("slash", *"a", "enter")  # every id holds an "a"
        await pilot.pause()
        shown = list(screen.shown)
        await pilot.press("enter")
        await pilot.pause()
        visited = [app.screen.article_id]  # type: ignore[attr-defined]
        for _ in range(3):
            await pilot.press("right_square_bracket")
            await pilot.pause()
            visited.append(app.screen.article_id)  # type: ignore[attr-defined]
        assert visited == [*shown, shown[-1]]  # no wrap at the end
        assert notes[-1] == "no next article"
        await pilot.press("escape", "slash", "ctrl+u", *"reuters", "enter")
        await pilot.pause()
        assert screen.shown == ["a3-reuters"]
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert app.screen.article_id == "a3-reuters"  # type: ignore[attr-defined]
        assert notes[-1] == "no previous article"


async def test_opening_lands_on_the_first_to_review_and_j_can_go_least_confident_first(
    tmp_path: Path,
) -> None:
    with Store(tmp_path / "a.db") as store:
        store.save(four_claims())
        ids = [r["id"] for r in store.attributions()]
        store.review(ids[0], "confirm", "bob")
        app = make_app(store)
        async with app.run_test(size=(120, 40)) as pilot:
            await open_first(pilot)
            screen = app.screen
            assert isinstance(screen, ArticleScreen)
            assert screen.current is not None
            assert screen.current["id"] == ids[1]  # the first still to review
            await pilot.press("j")  # in text order
            await pilot.pause()
            assert screen.current["id"] == ids[2]
            await pilot.press("k", "w")  # least confident first: 0.2, 0.5, 0.8
            await pilot.pause()
            assert screen.current["id"] == ids[1]
            await pilot.press("j")
            await pilot.pause()
            assert screen.current["id"] == ids[3]
            await pilot.press("j")  # the confirmed one is passed over; round to the least
            await pilot.pause()
            assert screen.current["id"] == ids[2]


async def test_the_claim_span_is_adjusted_with_keys(tmp_path: Path) -> None:
    with Store(tmp_path / "a.db") as store:
        store.save(annotated("verb_que", "a1"))  # claim: "le pont tenait toujours"
        app = make_app(store)
        async with app.run_test(size=(120, 40)) as pilot:
            await open_first(pilot)
            screen = app.screen
            assert isinstance(screen, ArticleScreen)
            await pilot.press("a", "shift+left", "ctrl+right")
            await pilot.pause()
            assert screen.span is not None
            assert screen.text[slice(*screen.span)] == "pont tenait"
            await pilot.press("c")  # not a decision while the span is adjusted
            await pilot.press("shift+down")  # to the end of the clause
            await pilot.pause()
            assert screen.text[slice(*screen.span)] == "pont tenait toujours"
            await pilot.press("ctrl+up")  # the start of the clause: the sentence
            await pilot.press("enter")
            await pilot.pause()
            assert screen.span is None
            [row] = store.attributions()
            assert row["claim"] == "Le ministère de la Santé a affirmé que le pont tenait toujours"
            assert [e.action for e in store.review_log()] == ["edit_claim"]


async def test_the_kind_picker_starts_on_the_current_kind(store: Store) -> None:
    from textual.widgets import OptionList

    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first(pilot)
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        assert screen.current is not None
        kind = screen.current["source_kind"]
        await pilot.press("t")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        assert options.highlighted is not None
        assert str(options.get_option_at_index(options.highlighted).prompt) == kind


async def test_the_screens_say_what_a_reviewer_needs(store: Store) -> None:
    import io

    from rich.console import Console
    from textual.widgets import DataTable, Static

    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first(pilot)
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        assert screen.sub_title == "Le pont"  # the article's title
        table = screen.query_one("#claims", DataTable)
        assert [str(c.label) for c in table.columns.values()] == ["status", "claim", "source"]
        assert [str(cell) for cell in table.get_row_at(0)][:2] == [
            "pending",
            screen.rows[0]["claim"],
        ]
        await pilot.press("question_mark")
        await pilot.pause()
        console = Console(width=100, record=True, file=io.StringIO())
        console.print(app.screen.query_one(".keys Static", Static).content)
        shown = console.export_text()
        for key, what in (("]", "Next article"), ("[", "Previous"), ("Esc", "Back")):
            assert f"{key} {what}" in shown
        assert "q / Ctrl+Q Quit" in shown


def test_shortened_names_are_cut_between_words() -> None:
    from attribution.tui.panels import shortened

    assert shortened("le quotidien libanais Al-Nour", 16) == "le quotidien…"
    assert shortened("Reuters", 16) == "Reuters"
    assert shortened("Anticonstitutionnellement", 10) == "Anticonst…"


def test_claim_ends_move_by_word_and_by_clause() -> None:
    from attribution.tui.spans import move_end, move_start

    text = "Selon X, le pont, dit-on, tenait toujours.\nAutre ligne."
    span = (9, 16)  # "le pont"
    assert text[slice(*move_end(text, span, 1))] == "le pont, dit-on"
    assert text[slice(*move_end(text, span, -1))] == "le"
    assert text[slice(*move_end(text, (9, 11), -1))] == "le"  # never empty
    assert text[slice(*move_end(text, span, 1, clause=True))] == "le pont, dit-on"
    assert text[slice(*move_start(text, span, -1, clause=True))] == "Selon X, le pont"
    assert text[slice(*move_start(text, span, 1))] == "pont"
    end = move_end(text, (26, 41), 1)  # never across the line end
    assert text[slice(*end)] == "tenait toujours"


@pytest.mark.model
async def test_background_annotation_says_how_far_it_is(tmp_path: Path) -> None:
    from textual.widgets import Static

    for n in range(3):
        (tmp_path / f"{n}.txt").write_text(
            f"Selon le quotidien libanais Assafir, la route {n} est coupée.\n", encoding="utf-8"
        )
    seen: list[str] = []

    class Watched(ReviewApp):
        def show_annotating(self, done: int | None, total: int) -> None:
            super().show_annotating(done, total)
            screen = self.articles_screen()
            if screen is not None:
                seen.append(str(screen.query_one("#filters", Static).content))

    with Store(tmp_path / "a.db") as store:
        app = Watched(store, load_registry(use_user_file=False), "alice", [tmp_path])
        async with app.run_test(size=(100, 30)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            screen = app.articles_screen()
            assert screen is not None
            assert screen.query_one("#articles").row_count == 3
        assert seen[0].startswith("annotating 0/3 · 0 of 0 articles")
        assert any(s.startswith("annotating 2/3") for s in seen)
        assert seen[-1].startswith("3 of 3 articles")
