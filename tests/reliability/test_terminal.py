"""Round two, security: what reaches a terminal holds no escape sequence and no markup
from the data (article text, titles, file names, reviewer notes)."""

from __future__ import annotations

import io
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from attribution.audit import AuditRow
from attribution.output import render_table
from attribution.registry import load_registry
from attribution.report import print_audit
from attribution.store import Store
from attribution.terminal import printable
from attribution.tui.app import ReviewApp
from attribution.tui.article import ArticleScreen
from tests.test_store import annotated

ESCAPES = (
    "\x1b]0;pwned\x07",
    "\x1b[2J",
    "\x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\",
    "\x9b",
)
MARKUP = "voir [/b] ici [/bold] [link=http://evil.example]x[/link]"


def _row(text: str) -> dict[str, Any]:
    return {
        "cue": "selon",
        "source": text,
        "source_resolved": text,
        "source_kind": "person",
        "outlet": None,
        "via": None,
        "claim": text,
        "direct_quote": True,
    }


def _no_control(text: str) -> None:
    assert not any((ord(c) < 32 and c not in "\n") or 0x7F <= ord(c) < 0xA0 for c in text), text


@pytest.mark.parametrize("evil", [*ESCAPES, MARKUP])
def test_the_table_format_prints_data_as_plain_text(evil: str) -> None:
    out = io.StringIO()
    render_table([_row(f"le pont {evil} a cédé")], out)
    _no_control(out.getvalue())
    if evil == MARKUP:
        assert "[/b]" in out.getvalue()


def test_the_audit_table_prints_names_as_plain_text() -> None:
    row = AuditRow(
        "article",
        f"a {MARKUP} {ESCAPES[0]}",
        1,
        1,
        1,
        1,
        None,
        {},
        None,
        None,
        0,
        0,
        None,
        {},
        {},
        {},
        {},
        None,
        [],
        ["one source carries more than half of the claims"],
    )
    out = io.StringIO()
    print_audit([row], Console(file=out, width=200))
    _no_control(out.getvalue())


def test_file_names_with_escapes_or_line_breaks_make_one_visible_error_line(
    tmp_path: Path,
) -> None:
    name = "a\x1b]0;pwned\x07\nb\x1b[2J.txt"
    result = subprocess.run(
        [sys.executable, "-m", "attribution.cli", "annotate", "--no-store", "--lang", "fr", name],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    _no_control(line)
    assert line.startswith("error: a␛]0;pwned␇␊b␛[2J.txt: ")


def test_printable_keeps_offsets() -> None:
    text = "ab\x1b[2Jcd\u009bef\nx"
    assert len(printable(text)) == len(text)
    assert printable(text, keep_lines=True).endswith("\nx")


def _store(path: Path) -> Store:
    store = Store(path)
    item = annotated("verb_que", "a1")
    text = item.article.text + " " + "".join(ESCAPES) + " " + MARKUP
    article = replace(item.article, text=text, title=f"Titre {ESCAPES[0]} {MARKUP}")
    store.save(replace(item, article=article))
    return store


def _app(store: Store, reviewer: str = "alice") -> ReviewApp:
    return ReviewApp(store, load_registry(use_user_file=False), reviewer)


def _rendered(app: ReviewApp) -> str:
    from textual.widgets import Static

    out = []
    for widget in app.screen.query(Static):
        out.append(str(widget.render()))
    return "\n".join(out)


async def test_a_markup_note_and_escapes_in_the_text_never_crash_the_review_app(
    tmp_path: Path,
) -> None:
    store = _store(tmp_path / "a.db")
    [row] = store.attributions()
    store.review(row["id"], "note", "alice", MARKUP)
    store.review(row["id"], "reassign_source", "alice", f"le [bold]ministre {ESCAPES[0]}")
    for _ in range(2):  # the second launch lands on the article again (the position is saved)
        app = _app(store)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            if not isinstance(app.screen, ArticleScreen):
                await pilot.press("enter")
                await pilot.pause()
            assert isinstance(app.screen, ArticleScreen)
            shown = _rendered(app)
            assert "voir [/b] ici" in shown
            _no_control(shown)
        assert app.return_code in (0, None)
    store.close()


def test_a_crash_of_the_review_app_is_a_non_zero_exit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from attribution import cli

    _store(tmp_path / "a.db").close()

    def crash(self: ReviewApp) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(ReviewApp, "on_mount", crash)
    monkeypatch.setattr(sys, "argv", ["attribution", "review", str(tmp_path / "a.db")])
    with pytest.raises(SystemExit) as exit:
        cli.main()
    assert exit.value.code not in (0, None)
