"""Reading articles from disk: formats, headers, encodings, and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attribution.errors import AttributionError, InputError
from attribution.ingest import body_start, normalize_date, read_articles, read_file
from attribution.model import Article
from attribution.nlp.base import normalize_for_parser

SCRAPED = (
    "28-03-2024 10:57 PM Jerusalem Timing\n\n"
    "Le pont de Kfar Nour coupé par les crues\n\n"
    "Le pont de Kfar Nour coupé par les crues\n\n"
    "Selon des habitants, la route est coupée depuis lundi.\n"
)


def one(path: Path) -> Article:
    [item] = list(read_file(path))
    assert isinstance(item, Article)
    return item


def test_scraped_header_becomes_metadata_and_the_repeated_title_goes(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(SCRAPED, encoding="utf-8")
    article = one(path)
    assert article.date == "2024-03-28T22:57"
    assert article.title == "Le pont de Kfar Nour coupé par les crues"
    assert article.text == "Selon des habitants, la route est coupée depuis lundi."


def test_bom_and_windows_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("\ufeff".encode() + SCRAPED.replace("\n", "\r\n").encode("utf-8"))
    article = one(path)
    assert article.text == "Selon des habitants, la route est coupée depuis lundi."
    assert "\r" not in article.text


def test_utf16_with_bom_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(SCRAPED.encode("utf-16"))
    assert one(path).title == "Le pont de Kfar Nour coupé par les crues"


def test_markdown_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(
        "---\ntitle: Crues\ndate: 2026-03-14\npublisher: al-manar\nlang: fr\n---\n"
        "Selon notre chaîne, la route est coupée.\n",
        encoding="utf-8",
    )
    article = one(path)
    assert (article.title, article.date, article.publisher, article.lang) == (
        "Crues",
        "2026-03-14",
        "al-manar",
        "fr",
    )
    assert article.text == "Selon notre chaîne, la route est coupée."


def test_where_the_body_starts_in_the_text_as_stored(tmp_path: Path) -> None:
    for name, content in (
        ("a.md", "---\ntitle: Crues\nlang: fr\n---\nSelon notre chaîne, la route est coupée.\n"),
        ("b.txt", SCRAPED),
    ):
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        article = one(path)
        start = body_start(article.original, article.path)
        assert start > 0
        assert article.original[start:].rstrip("\n") == article.text
    assert body_start("Selon des habitants, la route est coupée.", "c.txt") == 0
    assert body_start("<p>Selon des habitants</p>", "d.html") == 0
    assert body_start("---\nnever closed\n", "e.md") == 0  # no longer reads: all of it


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "a.html"
    path.write_text(
        "<html><head><title>Crues - Le Journal</title>"
        '<meta property="og:site_name" content="Le Journal">'
        '<meta name="date" content="2026-03-14"></head><body><nav>Menu Accueil</nav><article>'
        "<h1>Crues dans la vallée</h1>"
        "<p>Selon le quotidien Al-Nour, la route est coupée depuis lundi soir dans la vallée,"
        " a indiqué un responsable local joint par téléphone.</p>"
        "<p>Des habitants ont dit avoir vu des convois se diriger vers le nord pendant la nuit"
        " de dimanche à lundi, alors que les pluies continuaient.</p></article></body></html>",
        encoding="utf-8",
    )
    article = one(path)
    assert article.site_name == "Le Journal"
    assert article.date == "2026-03-14"
    assert article.text.startswith("Selon le quotidien Al-Nour")
    assert "Menu" not in article.text


def test_jsonl_reports_bad_lines_and_keeps_the_good_ones(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    good = {"id": "x1", "text": "Selon l'AFP, il pleut.", "publisher": "afp", "lang": "fr"}
    path.write_text(json.dumps(good) + "\n{not json\n" + json.dumps({"title": "t"}) + "\n", "utf-8")
    items = list(read_articles([path]))
    assert isinstance(items[0], Article)
    assert (items[0].id, items[0].publisher) == ("x1", "afp")
    errors = [str(e) for e in items if isinstance(e, InputError)]
    assert errors == [
        f"{path}:2: invalid JSON: Expecting property name enclosed in double quotes",
        f"{path}:3: missing or empty 'text'",
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b" \n\t\n", "empty file"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file"),
        ("notes.docx", b"PK", "unknown format"),
    ],
)
def test_unreadable_files_get_one_line_naming_them(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    [err] = list(read_articles([path]))
    assert isinstance(err, InputError)
    assert str(err).startswith(str(path))
    assert message in str(err)
    assert "\n" not in str(err)


def test_non_utf8_text_is_decoded_and_says_what_was_assumed(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Selon l'armée, c'était fini à Alep.".encode("latin-1"))
    article = one(path)
    assert article.text == "Selon l'armée, c'était fini à Alep."
    assert article.encoding in ("cp1252", "iso8859-1", "latin-1", "iso-8859-1")
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes("Selon l'armée, c'était fini.".encode("utf-16-le"))
    assert (one(utf16).text, one(utf16).encoding) == ("Selon l'armée, c'était fini.", "utf-16-le")


def test_missing_file_and_directory_walk(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("Selon l'AFP, il pleut.", "utf-8")
    (tmp_path / "a.md").write_text("Il a dit que oui.", "utf-8")
    (tmp_path / "skip.png").write_bytes(b"\x89PNG")
    items = list(read_articles([tmp_path, tmp_path / "nope.txt"]))
    assert [i.path for i in items if isinstance(i, Article)] == [
        f"{tmp_path}/a.md",
        f"{tmp_path}/sub/b.txt",
    ]
    assert "no such file" in str(items[-1])


def test_language_from_metadata_then_option_then_detection(tmp_path: Path) -> None:
    (tmp_path / "fr.txt").write_text(
        "Selon le ministère, la route est coupée depuis lundi.", "utf-8"
    )
    (tmp_path / "en.txt").write_text("The road has been cut since Monday, officials said.", "utf-8")
    detected = {a.path: a.lang for a in read_articles([tmp_path]) if isinstance(a, Article)}
    assert sorted(detected.values()) == ["en", "fr"]
    forced = [a.lang for a in read_articles([tmp_path], lang="fr") if isinstance(a, Article)]
    assert forced == ["fr", "fr"]


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("28-03-2024 10:57 PM", "2024-03-28T22:57"),
        ("Publié le 14/03/2026 à 09h12", "2026-03-14T09:12"),
        ("2026-03-14", "2026-03-14"),
        ("14 mars 2026", "2026-03-14"),
        ("March 14, 2026", "2026-03-14"),
        ("hier soir", "hier soir"),
    ],
)
def test_dates(text: str, iso: str) -> None:
    assert normalize_date(text) == iso


def test_parser_text_keeps_offsets() -> None:
    text = "l’armée a dit\u00a0: « oui »\u202f!"
    normalized = normalize_for_parser(text)
    assert len(normalized) == len(text)
    assert normalized == "l'armée a dit : « oui » !"


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300), st.sampled_from([".txt", ".md", ".jsonl", ".html"]))
def test_any_bytes_give_articles_or_the_projects_error(data: bytes, suffix: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"x{suffix}"
        path.write_bytes(data)
        for item in read_articles([path], lang="fr"):
            if isinstance(item, AttributionError):
                continue
            assert item.text.strip()


def _same_text(article: Article, start: int, end: int) -> bool:
    a, b = article.given_span(start, end)
    given = article.original[a:b].replace("\r\n", "\n").replace("\r", "\n")
    return given == article.text[start:end]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("scraped.txt", SCRAPED),
        ("front.md", "---\ntitle: Le pont\n---\n\n# Le pont\n\nSelon des habitants, x.\n"),
        ("plain.txt", "Selon des habitants, la route est coupée.\nElle l'est encore.\n"),
    ],
)
def test_offsets_index_the_file_as_given(
    tmp_path: Path, name: str, content: str, newline: str
) -> None:
    path = tmp_path / name
    path.write_bytes(("\ufeff" + content.replace("\n", newline)).encode("utf-8"))
    article = one(path)
    given = path.read_bytes().decode("utf-8-sig")
    assert article.original == given  # the decoded file, as given (without its BOM)
    start = article.text.index("Selon")
    end = article.text.index(",", start)
    a, b = article.given_span(start, end)
    assert given[a:b] == "Selon des habitants"
    assert all(
        _same_text(article, s, e)
        for s in range(len(article.text))
        for e in range(s, min(len(article.text), s + 30) + 1)
    )


def test_jsonl_offsets_index_its_text_value(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    text = "Titre\r\n\r\nSelon des habitants, la route est coupée.\r\nFin."
    path.write_text(json.dumps({"id": "x", "text": text}) + "\n", encoding="utf-8")
    article = one(path)
    assert article.original == text
    start = article.text.index("la route")
    a, b = article.given_span(start, start + len("la route"))
    assert text[a:b] == "la route"


@given(
    st.lists(st.sampled_from(["ab", " ", "\n", "\r\n", "\r", "é"]), max_size=30),
    st.sampled_from(["", "2024-03-28\n\nTitre court\n\n", "---\ntitle: T\n---\n"]),
)
@settings(max_examples=200, deadline=None)
def test_every_span_maps_back_to_the_same_characters(
    tmp_path_factory: pytest.TempPathFactory, parts: list[str], header: str
) -> None:
    body = "Un texte." + "".join(parts) + "Fin du texte."
    path = tmp_path_factory.mktemp("g") / "a.txt"
    path.write_bytes((header + body).encode("utf-8"))
    article = one(path)
    assert article.original == (header + body)
    n = len(article.text)
    assert all(_same_text(article, s, e) for s in range(n) for e in range(s, n + 1))
