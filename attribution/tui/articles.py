"""The articles screen: every article, its review progress, filters and sorting."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from attribution.terminal import plain
from attribution.tui.modals import Choice, Prompt
from attribution.tui.panels import shortened

if TYPE_CHECKING:
    from attribution.tui.app import ReviewApp

COLUMNS = ("title", "date", "publisher", "claims", "reviewed")
WIDTHS = {"date": 16, "publisher": 16, "claims": 6, "reviewed": 8}
FIRST_ROWS = 100
CHUNK_ROWS = 500
# the team's filters, and the Queue count each reads (store.queues)
TEAM_FILTERS = {
    "needs my review": "needs_me",
    "disputed": "disputed",
    "needs adjudication": "needs_adjudication",
}
STATUS_FILTERS = (
    "all",
    "to review",
    "done",
    "needs my review",
    "disputed",
    "needs adjudication",
)


class ArticlesScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", show=False),
        Binding("slash", "filter_text", "Filter"),
        Binding("p", "filter_publisher", "Publisher"),
        Binding("v", "filter_status", "Status"),
        Binding("o", "sort", "Sort"),
        Binding("e", "export", "Export CSV"),
        Binding("question_mark", "help", "Help"),
        Binding("q,ctrl+q", "app.quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.text_filter = ""
        self.publisher_filter = ""
        self.status_filter = "all"
        self.sort_column = 0
        self.rows: list[dict[str, Any]] = []
        self.shown: list[str] = []
        self.title_width = 20  # the ids of the rows shown, in their order
        self.generation = 0  # bumped by each refill: stale chunks stop

    @property
    def review(self) -> ReviewApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="filters")
        table: DataTable[str] = DataTable(id="articles", cursor_type="row", zebra_stripes=True)
        yield table
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#articles", DataTable)
        # fixed widths: the table need not measure 10,000 rows of cells to lay them out
        rest = sum(WIDTHS.values())
        title = max(20, self.app.size.width - rest - 2 * len(COLUMNS) - 2)
        self.title_width = title
        for name in COLUMNS:
            table.add_column(name, key=name, width=WIDTHS.get(name, title))
        self.reload()

    def reload(self) -> None:
        """Articles and progress from the store, then the filtered view."""
        progress = self.review.store.progress()
        # the team's queues read every attribution's log: only for the filters that use them
        queues = (
            self.review.store.queues(self.review.reviewer)
            if self.status_filter in TEAM_FILTERS
            else {}
        )
        self.rows = []
        for a in self.review.store.article_list():
            done, total = progress.get(a["id"], (0, 0))
            self.rows.append({**a, "done": done, "total": total, "queue": queues.get(a["id"])})
        self.refill()

    def refill(self) -> None:
        """The filtered, sorted rows: the first screenful at once, the rest in chunks
        after the first paint, so that a store of 10,000 articles opens at once."""
        table = self.query_one("#articles", DataTable)
        keep = table.cursor_row
        table.clear()
        rows = [r for r in self.rows if self._shown(r)]
        key = COLUMNS[self.sort_column]
        rows.sort(key=lambda r: _sort_value(r, key))
        self.shown = [r["id"] for r in rows]
        self.generation += 1
        self._add_rows(rows, 0, self.generation)
        if rows:
            table.move_cursor(row=min(keep, len(rows) - 1, FIRST_ROWS - 1))
        self.show_filters()

    def show_filters(self) -> None:
        self.query_one("#filters", Static).update(plain(self.describe_filters(len(self.shown))))

    def _add_rows(self, rows: list[dict[str, Any]], start: int, generation: int) -> None:
        if generation != self.generation:
            return  # a newer filter or sort replaced these rows
        table = self.query_one("#articles", DataTable)
        size = FIRST_ROWS if start == 0 else CHUNK_ROWS
        for r in rows[start : start + size]:  # Text, not str: a title is never read as markup
            table.add_row(
                plain(shortened(r["title"] or r["id"], self.title_width), keep_lines=False),
                plain(r["date"], keep_lines=False),
                plain(r["publisher"], keep_lines=False),
                Text(str(r["total"]), justify="right"),
                Text(f"{r['done']}/{r['total']}", justify="right"),
                key=r["id"],
            )
        if start + size < len(rows):
            self.set_timer(0.01, lambda: self._add_rows(rows, start + size, generation))

    def describe_filters(self, shown: int) -> str:
        parts = [f"{shown} of {len(self.rows)} articles", f"sorted by {COLUMNS[self.sort_column]}"]
        if self.review.annotating is not None:
            done, total = self.review.annotating
            parts.insert(0, f"annotating {done}/{total}")
        if self.text_filter:
            parts.append(f"text “{self.text_filter}”")
        if self.publisher_filter:
            parts.append(f"publisher {self.publisher_filter}")
        if self.status_filter != "all":
            parts.append(self.status_filter)
        return " · ".join(parts)

    def _shown(self, r: dict[str, Any]) -> bool:
        if self.text_filter:
            hay = f"{r['title'] or ''} {r['id']}".casefold()
            if self.text_filter.casefold() not in hay:
                return False
        if self.publisher_filter and (r["publisher"] or "") != self.publisher_filter:
            return False
        if self.status_filter == "to review" and r["done"] >= r["total"]:
            return False
        if self.status_filter in TEAM_FILTERS:
            return bool(r["queue"] and getattr(r["queue"], TEAM_FILTERS[self.status_filter]))
        return not (self.status_filter == "done" and r["done"] < r["total"])

    def select(self, article_id: str) -> None:
        """Put the cursor on an article (the one the reviewer moved to with `]`)."""
        table = self.query_one("#articles", DataTable)
        if article_id in self.shown and self.shown.index(article_id) < table.row_count:
            table.move_cursor(row=self.shown.index(article_id))

    def selected_article(self) -> str | None:
        table = self.query_one("#articles", DataTable)
        if table.row_count == 0:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        self.sort_column = event.column_index
        self.refill()

    def action_open(self) -> None:
        article = self.selected_article()
        if article is not None:
            self.review.open_article(article)

    def action_filter_text(self) -> None:
        def done(value: str | None) -> None:
            self.text_filter = value or ""
            self.refill()

        self.app.push_screen(Prompt("Filter by title or id", self.text_filter), done)

    def action_filter_publisher(self) -> None:
        publishers = sorted({r["publisher"] for r in self.rows if r["publisher"]})

        def done(value: str | None) -> None:
            if value is not None:
                self.publisher_filter = "" if value == "(all)" else value
                self.refill()

        self.app.push_screen(Choice("Publisher", ["(all)", *publishers]), done)

    def action_filter_status(self) -> None:
        next_filter = (STATUS_FILTERS.index(self.status_filter) + 1) % len(STATUS_FILTERS)
        self.status_filter = STATUS_FILTERS[next_filter]
        if self.status_filter in TEAM_FILTERS:
            self.reload()  # the queues are read now, and again for each team filter
        else:
            self.refill()

    def action_sort(self) -> None:
        self.sort_column = (self.sort_column + 1) % len(COLUMNS)
        self.refill()

    def action_export(self) -> None:
        shown = [r["id"] for r in self.rows if self._shown(r)]
        self.review.export(shown)

    def action_help(self) -> None:
        self.review.show_help(self.BINDINGS)


def _sort_value(row: dict[str, Any], key: str) -> Any:
    if key == "claims":
        return -row["total"]
    if key == "reviewed":
        return row["done"] / row["total"] if row["total"] else 1.0
    return (
        (row.get(key) or "").casefold()
        if key != "title"
        else (row["title"] or row["id"]).casefold()
    )
