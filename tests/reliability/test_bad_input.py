"""Whatever people save from the web: each file gets articles or one clear error."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attribution.errors import AttributionError, InputError
from attribution.ingest import read_articles
from attribution.model import Article
from attribution.nlp.base import MAX_BLOCK_CHARS, paragraphs
from attribution.nlp.conllu import read_conllu

SENTENCE = "Selon l'agence Reuters, le pont a cédé dans la nuit. "


def articles(*paths: Path, **kwargs: object) -> list[Article | InputError]:
    return list(read_articles(paths, **kwargs))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        (b"  \n\t \r\n", "empty file"),
        (bytes(range(256)) * 4, "binary file, not text"),
    ],
    ids=["empty", "whitespace", "binary"],
)
def test_empty_blank_and_binary_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(content)
    [err] = articles(path)
    assert isinstance(err, InputError)
    assert str(err) == f"{path}: {message}"


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("latin-1", "cp1252"), ("cp1252", "cp1252"), ("utf-16", "utf-16"), ("utf-16-le", "utf-16-le")],
)
def test_other_encodings_are_decoded_and_named(
    tmp_path: Path, encoding: str, expected: str
) -> None:
    path = tmp_path / "a.txt"
    text = "Selon l'armée, l'hôpital était fermé « jusqu'à nouvel ordre »."
    path.write_bytes(text.encode(encoding))
    [article] = articles(path)
    assert isinstance(article, Article)
    assert (article.text, article.encoding) == (text, expected)


def test_mixed_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"Premier paragraphe ici.\r\nDeuxieme.\rTroisieme.\nQuatrieme.")
    [article] = articles(path)
    assert isinstance(article, Article)
    assert article.text.split("\n") == [
        "Premier paragraphe ici.",
        "Deuxieme.",
        "Troisieme.",
        "Quatrieme.",
    ]


def test_a_50_mb_article_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: 50 MB without writing them
    [err] = articles(path)
    assert isinstance(err, InputError)
    assert "too large (52.4 MB; the limit is 20 MB" in str(err)
    assert "\n" not in str(err)


def test_one_200000_character_line_is_cut_for_the_parser_with_offsets_kept() -> None:
    line = SENTENCE * (200_000 // len(SENTENCE))
    blocks = list(paragraphs("Titre\n" + line))
    assert all(len(block) <= MAX_BLOCK_CHARS for _, block in blocks)
    text = "Titre\n" + line
    assert all(text[offset : offset + len(block)] == block for offset, block in blocks)
    assert (
        "".join(block for _, block in blocks[1:]) == line.rstrip()
        or "".join(block for _, block in blocks[1:]) == line
    )


def test_invalid_jsonl_lines_are_numbered_and_the_rest_is_read(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(
        '{"text": "Il pleut."}\n[1, 2]\n{"text": ""}\n{bad\n{"text": "Il neige."}\n', "utf-8"
    )
    items = articles(path)
    assert [i.text for i in items if isinstance(i, Article)] == ["Il pleut.", "Il neige."]
    assert [e.line for e in items if isinstance(e, InputError)] == [2, 3, 4]


def test_broken_html_gives_its_text_or_one_error(tmp_path: Path) -> None:
    path = tmp_path / "a.html"
    path.write_text(
        "<html><body><p>Selon l'AFP, le pont a cédé dans la nuit de dimanche à lundi, "
        "ont indiqué des témoins joints par téléphone depuis Beyrouth.<p>Un second paragraphe"
        " sans balise fermante, <b>mal <i>imbriquée</b></i> et une <div>div ouverte",
        encoding="utf-8",
    )
    [item] = articles(path)
    assert isinstance(item, Article | InputError)
    if isinstance(item, Article):
        assert "Selon l'AFP" in item.text
    empty = tmp_path / "b.html"
    empty.write_text("<html><head><script>alert(1)</script></head><body></body>", "utf-8")
    [err] = articles(empty)
    assert isinstance(err, InputError)


def test_unreadable_files_and_symlink_loops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "ok.txt").write_text("Selon l'AFP, il pleut.", "utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("Selon l'AFP, il neige.", "utf-8")
    (tmp_path / "loop").mkdir()
    os.symlink(tmp_path, tmp_path / "loop" / "back")  # a directory that contains itself
    real_read = Path.read_bytes

    def read_bytes(self: Path) -> bytes:  # as root, chmod 000 still reads: simulate it
        if self.name == "secret.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    items = articles(tmp_path)
    texts = [i.text for i in items if isinstance(i, Article)]
    errors = [str(e) for e in items if isinstance(e, InputError)]
    assert "Selon l'AFP, il pleut." in texts
    assert any("secret.txt: cannot read: Permission denied" in e for e in errors)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=2000), st.sampled_from([".txt", ".md", ".jsonl", ".html"]))
def test_ingest_never_raises_anything_but_its_own_errors(
    tmp_path: Path, data: bytes, suffix: str
) -> None:
    path = tmp_path / f"x{suffix}"
    path.write_bytes(data)
    for item in read_articles([path], lang="fr"):
        assert isinstance(item, Article | AttributionError)
        if isinstance(item, Article):
            assert item.text.strip()


CONLLU_LINE = st.lists(
    st.sampled_from(
        ["1", "2", "3", "1-2", "0", "_", "le", "NOUN", "nsubj", "root", "SpaceAfter=No", ""]
    ),
    min_size=0,
    max_size=11,
).map("\t".join)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(CONLLU_LINE, st.just(""), st.just("# newpar"), st.text(max_size=30)), max_size=30
    )
)
def test_conllu_reader_never_raises_anything_but_its_own_errors(lines: list[str]) -> None:
    try:
        parse = read_conllu("\n".join(lines))
    except AttributionError:
        return
    for tok in parse.tokens:
        assert 0 <= tok.start <= tok.end <= len(parse.text)
        assert tok.head is None or 0 <= tok.head < len(parse.tokens)


@pytest.mark.model
@pytest.mark.slow
def test_a_200000_character_line_is_annotated_end_to_end(tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    path = tmp_path / "one_line.txt"
    text = SENTENCE * (200_000 // len(SENTENCE))
    path.write_text(text, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "attribution.cli", "annotate", str(path), "--no-store"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) >= 0.9 * text.count("Selon")
    assert all(text[r["claim_start"] : r["claim_end"]] == r["claim"] for r in rows)
