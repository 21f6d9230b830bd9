"""The article screen: the text with its attributions, the claims table, the source and
audit panels, and every review action."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane

from attribution.audit import audit, kept_claims, outlet_mix
from attribution.export import claims_frame
from attribution.model import SourceKind
from attribution.terminal import plain, printable
from attribution.tui.modals import Choice, Prompt
from attribution.tui.panels import audit_panel, highlighted, paragraphs, source_panel

if TYPE_CHECKING:
    from attribution.tui.app import ReviewApp

CLAIM_COLUMNS = ("source", "kind", "outlet", "alignment", "reliability", "status")
# Decisions that settle an attribution: the cursor moves on to the next one to review.
SETTLING = ("confirm", "reject", "flag")


class ArticleScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "decide('confirm')", "Confirm"),
        Binding("r", "decide('reject')", "Reject"),
        Binding("f", "decide('flag')", "Flag"),
        Binding("s", "reassign", "Source"),
        Binding("l", "link", "Link outlet"),
        Binding("L", "unlink", "Unlink", show=False),
        Binding("t", "kind", "Kind"),
        Binding("a", "span", "Claim span", show=False),
        Binding("m", "note", "Note"),
        Binding("u", "undo", "Undo"),
        Binding("U", "redo", "Redo", show=False),
        Binding("j", "next_pending", "Next", show=False),
        Binding("k", "previous_pending", "Previous", show=False),
        Binding("right_square_bracket", "next_article", "Next article", show=False),
        Binding("left_square_bracket", "previous_article", "Previous article", show=False),
        Binding("e", "export", "Export", show=False),
        Binding("escape", "back", "Articles"),
        Binding("question_mark", "help", "Help"),
    ]

    def __init__(self, article_id: str, attribution_id: str | None = None) -> None:
        super().__init__()
        self.article_id = article_id
        self.start_at = attribution_id
        self.rows: list[dict[str, Any]] = []
        self.text = ""
        self.blocks: list[tuple[int, int]] = []

    @property
    def review(self) -> ReviewApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield VerticalScroll(id="text")
            with Vertical(id="side"):
                table: DataTable[str] = DataTable(id="claims", cursor_type="row")
                yield table
                with TabbedContent(id="panels"):
                    with TabPane("Source", id="source-tab"):
                        yield VerticalScroll(Static(id="source"))
                    with TabPane("Audit", id="audit-tab"):
                        yield VerticalScroll(Static(id="audit"))
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#claims", DataTable)
        for name in CLAIM_COLUMNS:
            table.add_column(name, key=name)
        self.text = self.review.store.article_text(self.article_id) or ""
        self.blocks = paragraphs(self.text)
        text = self.query_one("#text", VerticalScroll)
        text.mount_all(Static(id=f"p{k}", classes="paragraph") for k in range(len(self.blocks)))
        self.reload(self.start_at)
        current = self.current
        if self.start_at is not None and current is not None:
            if current["review_status"] != "pending":  # decided just before the app stopped
                self.action_next_pending()
            self._remember_position()

    # --- state ------------------------------------------------------------------

    def reload(self, keep: str | None = None) -> None:
        """The attributions from the store (review state applied), the table, the panels."""
        self.rows = self.review.store.attributions(article=self.article_id)
        table = self.query_one("#claims", DataTable)
        table.clear()
        for row in self.rows:
            table.add_row(*self._cells(row), key=row["id"])
        self.sub_title = printable(self.article_id)
        if self.rows:
            index = next((k for k, r in enumerate(self.rows) if r["id"] == keep), 0)
            table.move_cursor(row=index)
        self.show_current()
        self.show_audit()

    def _cells(self, row: dict[str, Any]) -> tuple[Text, ...]:
        outlet = self.review.registry.outlets.get(row["outlet"] or "")
        cells = (
            row["claimant"] or "—",
            row["source_kind"] or "",
            row["outlet"] or "",
            outlet.alignment.axis if outlet and outlet.alignment else "",
            outlet.reliability.level if outlet else "",
            row["review_status"],
        )  # Text, not str: a DataTable reads a str as markup
        return tuple(plain(cell, keep_lines=False) for cell in cells)

    @property
    def current(self) -> dict[str, Any] | None:
        table = self.query_one("#claims", DataTable)
        if not self.rows or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_current()

    def show_current(self) -> None:
        row = self.current
        current_id = row["id"] if row else None
        for k, (start, end) in enumerate(self.blocks):
            inside = [r for r in self.rows if r["claim_start"] < end and start < r["claim_end"]]
            widget = self.query_one(f"#p{k}", Static)
            widget.update(highlighted(self.text, start, end, inside, current_id))
            is_current = (
                row is not None and row["claim_start"] < end and start <= row["claim_start"]
            )
            widget.set_class(is_current, "current")
            if is_current:
                self.query_one("#text", VerticalScroll).scroll_to_widget(widget, animate=False)
        self.query_one("#source", Static).update(source_panel(row, self.review.registry))
        self.review.position = (self.article_id, current_id)

    def show_audit(self) -> None:
        frame = claims_frame(self.review.store, self.review.registry, article=self.article_id)
        articles = self.review.store.articles(self.article_id)
        rows = audit(frame, articles, self.review.registry) if articles else []
        counts = outlet_mix(kept_claims(frame))
        self.query_one("#audit", Static).update(
            audit_panel(rows[0] if rows else None, dict(counts))
        )

    # --- review actions -------------------------------------------------------------

    def record(self, action: str, value: str | None = None, move_on: bool = False) -> None:
        """Write the decision (committed before anything else happens), then redraw."""
        row = self.current
        if row is None:
            return
        self.review.decide(row["id"], action, value)
        self.reload(keep=row["id"])
        if move_on:
            self.action_next_pending()
        self._remember_position()  # where the cursor now is: the next one to review

    def _remember_position(self) -> None:
        current = self.current
        self.review.position = (self.article_id, current["id"] if current else None)
        self.review.save_position()

    def _recording(self, action: str) -> Callable[[str | None], None]:
        """A modal's callback: record its value, unless it was cancelled."""

        def done(value: str | None) -> None:
            if value is not None:
                self.record(action, value)

        return done

    def action_decide(self, action: str) -> None:
        self.record(action, move_on=action in SETTLING)

    def action_reassign(self) -> None:
        row = self.current
        if row is None:
            return
        names = sorted({n for o in self.review.registry.outlets.values() for n in o.names})
        self.app.push_screen(
            Prompt("Source (as it should read)", row["source"] or "", names),
            self._recording("reassign_source"),
        )

    def action_link(self) -> None:
        row = self.current
        if row is None:
            return
        ids = sorted(self.review.registry.outlets)

        def done(value: str | None) -> None:
            if value is None:
                return
            outlet = self.review.registry.matcher.match(value).outlet or value
            if outlet not in self.review.registry.outlets:
                self.notify(
                    printable(f"no outlet {value!r} in the registry"),
                    severity="error",
                    markup=False,
                )
                return
            self.record("link_outlet", outlet)

        self.app.push_screen(Prompt("Outlet id or name", row["outlet"] or "", ids), done)

    def action_unlink(self) -> None:
        self.record("link_outlet", "")

    def action_kind(self) -> None:
        self.app.push_screen(
            Choice("Source kind", [k.value for k in SourceKind]), self._recording("set_kind")
        )

    def action_span(self) -> None:
        row = self.current
        if row is None:
            return

        def done(value: str | None) -> None:
            if value is None:
                return
            start, _, end = value.partition(":")
            if not (start.isdigit() and end.isdigit() and int(start) < int(end) <= len(self.text)):
                self.notify(
                    "the span is start:end, in characters of the article",
                    severity="error",
                    markup=False,
                )
                return
            self.record("edit_claim", f"{int(start)}:{int(end)}")

        self.app.push_screen(
            Prompt("Claim span (start:end)", f"{row['claim_start']}:{row['claim_end']}"), done
        )

    def action_note(self) -> None:
        self.app.push_screen(Prompt("Note"), self._recording("note"))

    def action_undo(self) -> None:
        target = self.review.undo()
        if target is not None:
            self.reload(keep=target)

    def action_redo(self) -> None:
        target = self.review.redo()
        if target is not None:
            self.reload(keep=target)

    def _move(self, step: int, pending_only: bool) -> None:
        if not self.rows:
            return
        table = self.query_one("#claims", DataTable)
        n = len(self.rows)
        for k in range(1, n + 1):
            index = (table.cursor_row + step * k) % n
            if not pending_only or self.rows[index]["review_status"] == "pending":
                table.move_cursor(row=index)
                return

    def action_next_pending(self) -> None:
        self._move(+1, pending_only=True)

    def action_previous_pending(self) -> None:
        self._move(-1, pending_only=True)

    def action_next_article(self) -> None:
        self.review.open_neighbour(self.article_id, +1)

    def action_previous_article(self) -> None:
        self.review.open_neighbour(self.article_id, -1)

    def action_export(self) -> None:
        self.review.export([self.article_id])

    def action_back(self) -> None:
        self.review.position = (None, None)
        self.review.save_position()
        self.app.pop_screen()
        self.review.refresh_articles()

    def action_help(self) -> None:
        self.review.show_help(self.BINDINGS)
