"""The review app: articles, then one article's attributions, decided with single keys.

Every decision is written to the store's review log (committed) before the screen moves
on, so a crash never loses one. Undo and redo are entries of the log too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import ProgressBar

from attribution.registry import Registry
from attribution.store import Store
from attribution.terminal import printable
from attribution.tui.article import ArticleScreen
from attribution.tui.articles import ArticlesScreen
from attribution.tui.modals import Help

POSITION_SAVE_S = 2.0


class ReviewApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "attribution · review"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+q", "quit", "Quit", show=False)]

    def __init__(
        self,
        store: Store,
        registry: Registry,
        reviewer: str,
        paths: Sequence[str | Path] = (),
        backend: str = "spacy",
    ) -> None:
        super().__init__()
        self.store = store
        self.registry = registry
        self.reviewer = reviewer
        self.paths = list(paths)
        self.backend = backend
        self.undo_stack: list[tuple[int, str]] = []  # (log seq, attribution id) of my actions
        self.redo_stack: list[tuple[int, str]] = []  # (seq of the undo entry, attribution id)
        self.exported: Path | None = None
        # where the reviewer is: saved with each decision, every few seconds, and on exit
        self.position: tuple[str | None, str | None] = (None, None)
        self._saved_position: tuple[str | None, str | None] = (None, None)

    def compose(self) -> ComposeResult:
        yield ProgressBar(id="progress", show_eta=True)

    def on_mount(self) -> None:
        self.set_interval(POSITION_SAVE_S, self.save_position)
        self.query_one("#progress", ProgressBar).display = bool(self.paths)
        self.push_screen(ArticlesScreen())
        article, attribution = self.store.position(self.reviewer)
        self.position = self._saved_position = (article, attribution)
        if article is not None and article in self.store.article_ids():
            self.push_screen(ArticleScreen(article, attribution))
        if self.paths:
            self.annotate(self.paths)

    def save_position(self) -> None:
        if self.position != self._saved_position:
            self.store.set_position(self.reviewer, *self.position)
            self._saved_position = self.position

    def on_unmount(self) -> None:
        self.save_position()

    # --- navigation -------------------------------------------------------------------

    def articles_screen(self) -> ArticlesScreen | None:
        return next((s for s in self.screen_stack if isinstance(s, ArticlesScreen)), None)

    def open_article(self, article_id: str) -> None:
        self.push_screen(ArticleScreen(article_id))

    def open_neighbour(self, article_id: str, step: int) -> None:
        screen = self.articles_screen()
        order = (
            [r["id"] for r in screen.rows if screen._shown(r)]
            if screen
            else self.store.article_ids()
        )
        if article_id not in order or len(order) < 2:
            return
        target = order[(order.index(article_id) + step) % len(order)]
        self.pop_screen()
        self.push_screen(ArticleScreen(target))

    def refresh_articles(self) -> None:
        screen = self.articles_screen()
        if screen is not None:
            screen.reload()

    def show_help(self, bindings: list[BindingType]) -> None:
        keys = [(b.key, b.description) for b in bindings if isinstance(b, Binding)]
        self.push_screen(Help(keys))

    # --- decisions --------------------------------------------------------------------

    def decide(self, attribution_id: str, action: str, value: str | None = None) -> None:
        """Log a decision; an adjudicator's verdict on a disputed attribution settles it."""
        adjudicate = (
            action in ("confirm", "reject", "flag")
            and self.store.roles().get(self.reviewer) == "adjudicator"
            and self.store.review_state(attribution_id).needs_adjudication
        )
        seq = self.store.review(
            attribution_id,
            action,  # type: ignore[arg-type]
            self.reviewer,
            value,
            adjudicate=adjudicate,
        )
        self.undo_stack.append((seq, attribution_id))
        self.redo_stack.clear()

    def undo(self) -> str | None:
        """Undo my last decision; the attribution it was about."""
        if not self.undo_stack:
            self.notify("nothing to undo")
            return None
        seq, attribution = self.undo_stack.pop()
        undo_seq = self.store.undo(seq, self.reviewer)
        self.redo_stack.append((undo_seq, attribution))
        return attribution

    def redo(self) -> str | None:
        if not self.redo_stack:
            self.notify("nothing to redo")
            return None
        undo_seq, attribution = self.redo_stack.pop()
        seq = self.store.undo(undo_seq, self.reviewer)  # undoing the undo
        self.undo_stack.append((seq, attribution))
        return attribution

    # --- workers --------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="annotate")
    def annotate(self, paths: Sequence[str | Path]) -> None:
        """Annotate new inputs into the store in the background, with a progress bar."""
        from attribution.ingest import iter_input_files, read_articles
        from attribution.pipeline import AnnotatedArticle, Annotator

        files = list(iter_input_files(paths))
        bar = self.query_one("#progress", ProgressBar)
        self.call_from_thread(bar.update, total=len(files), progress=0)
        annotator = Annotator(self.registry, self.backend, batch_size=8)
        with Store(self.store.target) as store:  # a connection of this thread's own
            for item in annotator.annotate(read_articles(files)):
                if isinstance(item, AnnotatedArticle):
                    store.save(item)
                else:
                    self.call_from_thread(
                        self.notify, printable(item), severity="error", markup=False
                    )
                self.call_from_thread(bar.advance, 1)
        self.call_from_thread(self.refresh_articles)
        self.call_from_thread(setattr, bar, "display", False)

    @work(thread=True, exclusive=True, group="export")
    def export(self, articles: Sequence[str]) -> None:
        """The shown articles' claims to CSV, through the same code as `attribution export`."""
        from attribution.export import claims_frame, write_table

        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        path = Path(f"attribution-export-{stamp}.csv")
        with Store(self.store.target) as store:
            frames = [claims_frame(store, self.registry, article=a) for a in articles]
        import pandas as pd

        frame = pd.concat(frames) if frames else claims_frame(self.store, self.registry)
        write_table(frame, path)
        self.exported = path
        self.call_from_thread(
            self.notify, printable(f"{len(frame)} claims exported to {path}"), markup=False
        )
