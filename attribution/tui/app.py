"""The review app: articles, then one article's attributions, decided with single keys.

Every decision is written to the store's review log (committed) before the screen moves
on, so a crash never loses one. Undo and redo are entries of the log too.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import ProgressBar

from attribution.registry import Registry
from attribution.store import Store
from attribution.terminal import printable
from attribution.tui.article import ArticleScreen
from attribution.tui.articles import ArticlesScreen
from attribution.tui.modals import Help, key_names

if TYPE_CHECKING:  # pandas and scikit-learn load after the first screen, with the clusters
    from attribution.corroborate import Cluster

POSITION_SAVE_S = 2.0
ARTICLES_REFRESH_S = 1.0  # while annotating, the articles list is reloaded this often


class ReviewApp(App[None]):
    CSS_PATH = Path(__file__).with_name("app.tcss")  # also for subclasses elsewhere
    ENABLE_COMMAND_PALETTE = False  # its key would take the footer's room; no command is there
    TITLE = "attribution · review"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("q,ctrl+q", "quit", "Quit")]

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
        self.annotating: tuple[int, int] | None = None  # (done, total) while annotating
        self._listed_at = 0.0
        self.clusters: list[Cluster] = []  # claims other articles report too

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
        else:
            self.call_after_refresh(self.corroborate)  # once the first screen is painted

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
        """The next (or previous) article as the articles screen shows them: its filter
        and its sort; at either end, say so rather than wrap around."""
        screen = self.articles_screen()
        order = screen.shown if screen else self.store.article_ids()
        if article_id not in order:
            self.notify("this article is not in the list shown (its filter hides it)")
            return
        k = order.index(article_id) + step
        if not 0 <= k < len(order):
            self.notify("no next article" if step > 0 else "no previous article")
            return
        self.pop_screen()
        self.push_screen(ArticleScreen(order[k]))
        if screen is not None:
            screen.select(order[k])

    def refresh_articles(self) -> None:
        screen = self.articles_screen()
        if screen is not None:
            screen.reload()

    def show_help(self, bindings: list[BindingType]) -> None:
        keys: dict[str, str] = {}
        for b in [*bindings, *self.BINDINGS]:
            if isinstance(b, Binding) and not b.action.startswith("span_"):
                keys.setdefault(key_names(b.key), b.description)
        more = ""
        if any(isinstance(b, Binding) and b.action.startswith("span_") for b in bindings):
            more = (
                "After a: Shift+←/→ claim end by a word, Shift+↑/↓ by a clause; "
                "Ctrl+←/→ start by a word, Ctrl+↑/↓ by a clause; Enter saves."
            )
        keys.pop("Enter", None)
        self.push_screen(Help(list(keys.items()), more))

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
        """Annotate new inputs into the store in the background, saying how far it is;
        articles the store holds as they are are not parsed again."""
        from attribution.engine import Job, annotate_files
        from attribution.ingest import count_articles, iter_input_files
        from attribution.pipeline import AnnotatedArticle, Unchanged

        files = list(iter_input_files(paths))
        total = count_articles(files)
        self.call_from_thread(self.show_annotating, 0, total)
        with Store(self.store.target) as store:  # a connection of this thread's own
            job = Job(
                self.registry,
                self.backend,
                batch_size=8,
                known=store.fingerprints(self.registry.hash, self.backend),
            )
            for done, item in enumerate(annotate_files(files, job), 1):
                if isinstance(item, AnnotatedArticle):
                    store.save(item)
                elif not isinstance(item, Unchanged):
                    self.call_from_thread(
                        self.notify, printable(item), severity="error", markup=False
                    )
                self.call_from_thread(self.show_annotating, done, max(total, done))
        self.call_from_thread(self.show_annotating, None, total)
        self.call_from_thread(self.corroborate)

    def show_annotating(self, done: int | None, total: int) -> None:
        """How far the background annotation is (None: finished), in the progress bar and
        on the articles screen, whose list grows as articles are stored."""
        bar = self.query_one("#progress", ProgressBar)
        self.annotating = None if done is None else (done, total)
        bar.display = done is not None
        if done is not None:
            bar.update(total=total, progress=done)
        now = time.monotonic()
        if done is None or done == total or now - self._listed_at > ARTICLES_REFRESH_S:
            self._listed_at = now
            self.refresh_articles()
        else:
            screen = self.articles_screen()
            if screen is not None:
                screen.show_filters()

    @work(thread=True, exclusive=True, group="corroborate", exit_on_error=False)
    def corroborate(self) -> None:
        """Which claims other articles report too (`attribution corroborate`), in the
        background: the source panel says so once it is known (and says nothing if it
        cannot be known: the review goes on)."""
        from attribution.corroborate import store_clusters

        with Store(self.store.target) as store:
            clusters = store_clusters(store, self.registry)
        self.call_from_thread(self.show_corroboration, clusters)

    def show_corroboration(self, clusters: list[Cluster]) -> None:
        self.clusters = clusters
        if isinstance(self.screen, ArticleScreen) and self.screen.rows:
            self.screen.show_current()  # an article screen that has loaded its claims

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
