"""The audit for sharing: a plot that says what it shows, and one self-contained HTML page
that a real browser renders without a console error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from attribution.audit import audit, outlet_mix_figure
from attribution.audit_html import audit_html
from attribution.export import claims_frame
from attribution.registry import load_registry
from attribution.store import Store
from tests.conftest import browser, headless
from tests.test_store import annotated


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store(tmp_path / "a.db") as s:
        s.save(annotated("verb_que", "a1"))
        s.save(annotated("selon_preposed", "a2"))
        s.save(annotated("dapres", "a3"))
        [row] = s.attributions(article="a3")
        s.review(row["id"], "note", "alice", "<script>alert(1)</script>")  # shown, not run
        yield s


def test_the_plot_says_what_it_shows(store: Store) -> None:
    import matplotlib.pyplot as plt

    registry = load_registry(use_user_file=False)
    frame = claims_frame(store, registry)
    fig = outlet_mix_figure(frame, registry, "corpus of 3 articles")
    try:
        left, right = fig.axes
        assert fig.get_suptitle() == "Who says so? corpus of 3 articles: 3 attributed claims"
        assert (left.get_xlabel(), left.get_ylabel()) == ("claims", "outlet")
        assert (right.get_xlabel(), right.get_ylabel()) == ("source kind", "claims")
        names = [t.get_text() for t in left.get_yticklabels()]
        assert registry.outlets["reuters"].name in names  # names, not ids
        assert "reuters" not in names
        for ticks in (left.get_xticks(), right.get_yticks()):
            assert all(float(t).is_integer() for t in ticks)  # counts are whole numbers
    finally:
        plt.close(fig)


def _page(store: Store, tmp_path: Path) -> Path:
    registry = load_registry(use_user_file=False)
    frame = claims_frame(store, registry)
    rows = audit(frame, store.articles(), registry)
    page = tmp_path / "audit.html"
    page.write_text(audit_html(rows, frame, registry, "corpus of 3 articles"), encoding="utf-8")
    return page


def test_the_page_is_self_contained(store: Store, tmp_path: Path) -> None:
    html = _page(store, tmp_path).read_text(encoding="utf-8")
    assert "<svg" in html
    assert "<script" not in html  # no script at all: the note's markup is escaped
    assert not re.search(r"""\b(src|href)=["'](https?:|//)""", html)  # nothing from elsewhere
    assert "@import" not in html
    assert "<title>Who says so? corpus of 3 articles</title>" in html


@pytest.mark.skipif(browser() is None, reason="no Chromium or Chrome installed")
def test_the_page_renders_in_a_headless_browser_without_console_errors(
    store: Store, tmp_path: Path
) -> None:
    page = _page(store, tmp_path)
    shot = tmp_path / "shot.png"
    dom = headless(page, tmp_path / "profile", "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "Who says so? corpus of 3 articles" in dom.stdout
    assert dom.stdout.count("<tr>") == 1 + 3 + 1 + 1  # header, 3 articles, publisher, corpus
    assert ":CONSOLE" not in dom.stderr  # the browser logs every console message there
    drawn = headless(page, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1000,800")
    assert drawn.returncode == 0, drawn.stderr[-2000:]
    from PIL import Image

    with Image.open(shot) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000) or []
    assert len(colours) > 50  # text, bars and table drawn, not a blank page


def test_audit_writes_the_page_and_a_titled_plot(
    store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import sys

    from attribution import cli

    page, plot = tmp_path / "audit.html", tmp_path / "mix.png"
    args = [
        "attribution",
        "audit",
        "--db",
        str(store.path),
        "--html",
        str(page),
        "--plot",
        str(plot),
    ]
    monkeypatch.setattr(sys, "argv", args)
    with pytest.raises(SystemExit) as done:
        cli.main()
    assert done.value.code == 0
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert plot.read_bytes().startswith(b"\x89PNG")
    err = capsys.readouterr().err
    assert err.splitlines() == [f"{plot}: outlet mix drawn", f"{page}: audit page written"]
