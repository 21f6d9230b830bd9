"""Modal screens: every edit happens here, so no single-letter key is swallowed elsewhere."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import zip_longest
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, OptionList, Static

from attribution.terminal import plain


class Prompt(ModalScreen[str | None]):
    """One line of text (a note, a source, an outlet id, a claim span), with suggestions."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, value: str = "", suggestions: Sequence[str] = ()) -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.suggestions = list(suggestions)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text)
            suggester = (
                SuggestFromList(self.suggestions, case_sensitive=False)
                if self.suggestions
                else None
            )
            yield Input(value=self.value, suggester=suggester)
            yield Static("Enter to save · Escape to cancel", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class Choice(ModalScreen[str | None]):
    """Pick one value from a list (the source kind)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, options: Sequence[str], current: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.options = list(options)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text)
            yield OptionList(*(plain(o, keep_lines=False) for o in self.options))

    def on_mount(self) -> None:
        if self.current in self.options:  # the picker starts on the value it has now
            self.query_one(OptionList).highlighted = self.options.index(self.current)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.options[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)


KEY_NAMES = {
    "right_square_bracket": "]",
    "left_square_bracket": "[",
    "question_mark": "?",
    "slash": "/",
    "escape": "Esc",
    "enter": "Enter",
}


def key_names(keys: str) -> str:
    """A binding's keys as people write them: `]`, `?`, `Esc`, `Shift+→`."""
    arrows = {"left": "←", "right": "→", "up": "↑", "down": "↓"}
    names = []
    for key in keys.split(","):
        if key in KEY_NAMES:
            names.append(KEY_NAMES[key])
            continue
        *mods, last = key.split("+")
        last = arrows.get(last, last.upper() if mods and len(last) == 1 else last)
        names.append("+".join([*(m.capitalize() for m in mods), last]))
    return " / ".join(names)


class Help(ModalScreen[None]):
    """Every key binding of the screen underneath."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,question_mark,q", "close", "Close")]

    def __init__(self, bindings: Sequence[tuple[str, str]], more: str = "") -> None:
        super().__init__()
        self.bindings = list(bindings)
        self.more = more  # a line under the keys

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help"):
            yield Label("Keys")
            grid = Table.grid(padding=(0, 1))
            for _ in range(2):  # two columns of keys: the list fits a small terminal
                grid.add_column(style="bold", justify="right", no_wrap=True)
                grid.add_column()
            half = (len(self.bindings) + 1) // 2
            for left, right in zip_longest(self.bindings[:half], self.bindings[half:]):
                grid.add_row(*left, *(right or ("", "")))
            with VerticalScroll(classes="keys"):
                yield Static(grid)
                if self.more:
                    yield Static(Text(self.more), classes="more")
            yield Static("Esc to close", classes="hint")

    def action_close(self) -> None:
        self.dismiss(None)
