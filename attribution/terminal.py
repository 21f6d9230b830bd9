"""Text from the user's data, made safe to show on a terminal.

Articles, titles, file names and reviewer notes may hold control characters: an escape
sequence (ESC, CSI, OSC…) printed raw could retitle the window, clear the screen or plant a
link. Every such character is shown as one visible character instead (the Unicode
"control picture" of a C0 character, U+FFFD for a C1 one), so offsets into a text still hold.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.text import Text

# C0 controls become their control pictures (U+2400…), DEL U+2421, C1 controls U+FFFD.
_CONTROLS = {c: 0x2400 + c for c in range(0x20)} | {0x7F: 0x2421}
_CONTROLS |= dict.fromkeys(range(0x80, 0xA0), 0xFFFD)
_ONE_LINE = str.maketrans(_CONTROLS)
_KEEP_LINES = str.maketrans({c: r for c, r in _CONTROLS.items() if c not in (ord("\n"), ord("\t"))})


def printable(value: object, *, keep_lines: bool = False) -> str:
    """The value as text with every control character made visible (line breaks and tabs
    kept when `keep_lines`): one character for one, so offsets hold."""
    return str(value).translate(_KEEP_LINES if keep_lines else _ONE_LINE)


def plain(value: Any, *, keep_lines: bool = True, style: str = "") -> Text:
    """User data for Rich and Textual: never read as markup, no control character."""
    from rich.text import Text

    return Text("" if value is None else printable(value, keep_lines=keep_lines), style=style)
