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

from attribution.model import SourceKind
from attribution.terminal import plain, printable
from attribution.tui.modals import Choice, Prompt
from attribution.tui.panels import audit_panel, highlighted, paragraphs, shortened, source_panel
from attribution.tui.spans import move_end, move_start

if TYPE_CHECKING:
    from attribution.tui.app import ReviewApp

CLAIM_COLUMNS = ("status", "claim", "source")
NAME_CHARS = 16  # the claims table shows the start of each claim and source; the rest is
# in the text and the source panel
STATUS_MARKS = {"pending": "·", "confirmed": "✓", "rejected": "✗", "flagged": "⚑"}  # narrow
# Decisions that settle an attribution: the cursor moves on to the next one to review.
SETTLING = ("confirm", "reject", "flag")
# Keys that only adjust a claim span (after `a`), and the actions they leave on meanwhile.
SPAN_ACTIONS = ("span_end", "span_start", "span_save", "span_cancel", "help")


class ArticleScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        # the footer shows the first ones, in this order: what a reviewer needs most
        Binding("c", "decide('confirm')", "Confirm"),
        Binding("r", "decide('reject')", "Reject"),
        Binding("f", "decide('flag')", "Flag"),
        Binding("s", "reassign", "Source"),
        Binding("u", "undo", "Undo"),
        Binding("j", "next_pending", "Next"),
        Binding("a", "span", "Claim"),
        Binding("question_mark", "help", "Help"),
        Binding("q,ctrl+q", "app.quit", "Quit"),
        Binding("l", "link", "Link outlet", show=False),
        Binding("L", "unlink", "Unlink outlet", show=False),
        Binding("t", "kind", "Kind", show=False),
        Binding("A", "claim_offsets", "Claim as offsets", show=False),
        Binding("m", "note", "Note", show=False),
        Binding("U", "redo", "Redo", show=False),
        Binding("k", "previous_pending", "Previous", show=False),
        Binding("w", "walk_order", "j/k: least sure first", show=False),
        Binding("right_square_bracket", "next_article", "Next article", show=False),
        Binding("left_square_bracket", "previous_article", "Previous article", show=False),
        Binding("e", "export", "Export claims", show=False),
        Binding("escape", "back", "Back", show=False),
        # adjusting a claim span (after `a`): the end with Shift, the start with Ctrl
        Binding("shift+right", "span_end(1)", "Claim end: a word later", show=False),
        Binding("shift+left", "span_end(-1)", "Claim end: a word earlier", show=False),
        Binding("shift+down", "span_end(1, True)", "Claim end: a clause later", show=False),
        Binding("shift+up", "span_end(-1, True)", "Claim end: a clause earlier", show=False),
        Binding("ctrl+left", "span_start(-1)", "Claim start: a word earlier", show=False),
        Binding("ctrl+right", "span_start(1)", "Claim start: a word later", show=False),
        Binding("ctrl+up", "span_start(-1, True)", "Claim start: a clause earlier", show=False),
        Binding("ctrl+down", "span_start(1, True)", "Claim start: a clause later", show=False),
        Binding("enter", "span_save", "Save the claim", priority=True),
        Binding("escape", "span_cancel", "Cancel", priority=True),
    ]

    def __init__(self, article_id: str, attribution_id: str | None = None) -> None:
        super().__init__()
        self.article_id = article_id
        self.start_at = attribution_id
        self.rows: list[dict[str, Any]] = []
        self.text = ""
        self.blocks: list[tuple[int, int]] = []
        self.least_confident_first = False
        self.span: tuple[int, int] | None = None  # the claim span being adjusted

    @property
    def review(self) -> ReviewApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield VerticalScroll(id="text")
            with Vertical(id="side"):
                yield Static(id="span-edit")
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
        self.query_one("#span-edit", Static).display = False
        article = self.review.store.articles(self.article_id)
        title = article[0]["title"] if article else None
        self.sub_title = printable(title or self.article_id, keep_lines=False)
        self.reload(self.start_at)
        current = self.current
        if current is not None and current["review_status"] != "pending":
            # opened afresh, or decided just before the app stopped: the next to review
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
        if self.rows:
            index = next((k for k, r in enumerate(self.rows) if r["id"] == keep), 0)
            table.move_cursor(row=index)
        self.show_current()
        self.show_audit()

    def _cells(self, row: dict[str, Any]) -> tuple[Text, ...]:
        # the claim takes what the side panel (half the screen) leaves
        side = max(36, self.app.size.width // 2)
        names = NAME_CHARS if side >= 50 else NAME_CHARS - 4
        room = max(8, side - (len("confirmed") if side >= 50 else 6) - names - 9)
        status = row["review_status"]
        cells = (
            status if side >= 50 else STATUS_MARKS.get(status, status),
            shortened(row["claim"], room),
            shortened(row["claimant"] or "—", names),
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
        rows = self.rows
        if row is not None and self.span is not None:  # the span being adjusted, as it is
            row = {**row, "claim_start": self.span[0], "claim_end": self.span[1]}
            rows = [row if r["id"] == current_id else r for r in rows]
        for k, (start, end) in enumerate(self.blocks):
            inside = [r for r in rows if r["claim_start"] < end and start < r["claim_end"]]
            widget = self.query_one(f"#p{k}", Static)
            widget.update(highlighted(self.text, start, end, inside, current_id))
            is_current = (
                row is not None and row["claim_start"] < end and start <= row["claim_start"]
            )
            widget.set_class(is_current, "current")
            if is_current:
                self.query_one("#text", VerticalScroll).scroll_to_widget(widget, animate=False)
        also = None
        if row is not None and self.review.clusters:
            from attribution.corroborate import also_reported  # pandas: only once clusters exist

            also = also_reported(self.review.clusters, self.article_id, row["id"])
        self.query_one("#source", Static).update(source_panel(row, self.review.registry, also))
        self.review.position = (self.article_id, current_id)

    def show_audit(self) -> None:
        from attribution.audit import audit, kept_claims, outlet_mix  # pandas: only here
        from attribution.export import claims_frame

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
        row = self.current
        kinds = [k.value for k in SourceKind]
        current = row["source_kind"] if row else None
        self.app.push_screen(Choice("Source kind", kinds, current), self._recording("set_kind"))

    # --- adjusting a claim span with keys ----------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While a claim span is adjusted, only its keys (and Esc, ?) work; its keys are
        off (and out of the footer) the rest of the time."""
        if self.span is not None:
            return action in SPAN_ACTIONS
        return not action.startswith("span_")

    def action_span(self) -> None:
        row = self.current
        if row is None:
            return
        self.span = (row["claim_start"], row["claim_end"])
        self.refresh_bindings()
        self._show_span()

    def _show_span(self) -> None:
        hint = self.query_one("#span-edit", Static)
        hint.display = self.span is not None
        if self.span is not None:
            start, end = self.span
            hint.update(
                plain(
                    f"Adjusting the claim ({start}:{end}): Shift+←/→ end by a word, "
                    "Shift+↑/↓ by a clause, Ctrl+←/→ start by a word, Ctrl+↑/↓ by a clause; "
                    "Enter saves, Esc cancels.\n«" + self.text[start:end] + "»"
                )
            )
        self.show_current()

    def action_span_end(self, step: int, clause: bool = False) -> None:
        if self.span is not None:
            self.span = move_end(self.text, self.span, step, clause)
            self._show_span()

    def action_span_start(self, step: int, clause: bool = False) -> None:
        if self.span is not None:
            self.span = move_start(self.text, self.span, step, clause)
            self._show_span()

    def action_span_save(self) -> None:
        span, row = self.span, self.current
        self._end_span()
        if span is not None and row is not None and span != (row["claim_start"], row["claim_end"]):
            self.record("edit_claim", f"{span[0]}:{span[1]}")

    def _end_span(self) -> None:
        self.span = None
        self.refresh_bindings()
        self._show_span()

    def action_claim_offsets(self) -> None:
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
        """To the next (or previous) attribution still to review: in text order, or the
        least confident first (`w`)."""
        if not self.rows:
            return
        table = self.query_one("#claims", DataTable)
        order = list(range(len(self.rows)))
        if self.least_confident_first:
            order.sort(key=lambda k: (self.rows[k]["confidence"] or 0.0, k))
        n = len(order)
        here = order.index(min(table.cursor_row, n - 1))
        for k in range(1, n + 1):
            index = order[(here + step * k) % n]
            if not pending_only or self.rows[index]["review_status"] == "pending":
                table.move_cursor(row=index)
                return

    def action_walk_order(self) -> None:
        self.least_confident_first = not self.least_confident_first
        self.notify(
            "j/k: least confident first" if self.least_confident_first else "j/k: in text order"
        )

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

    def action_span_cancel(self) -> None:
        self._end_span()  # the claim stays as it was

    def action_back(self) -> None:
        self._remember_position()  # kept: reopening the app comes back here
        self.app.pop_screen()
        self.review.refresh_articles()

    def action_help(self) -> None:
        self.review.show_help(self.BINDINGS)
