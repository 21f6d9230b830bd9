"""Round two: one bad input is one line naming its file (and line); the other inputs are
still processed and the exit code is 1. Nothing hangs, nothing is read without bound."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from attribution.errors import AttributionError, InputError
from attribution.ingest import read_articles
from attribution.model import Article, Parse
from attribution.nlp.base import MAX_BLOCK_CHARS, bounded, paragraphs
from attribution.pipeline import AnnotatedArticle, Annotator
from attribution.registry import load_registry
from tests.conftest import conllu

GOOD = "Selon l'agence Reuters, le pont a cédé dans la nuit."


def _items(*paths: Path) -> list[Article | InputError]:
    return list(read_articles(paths, lang="fr"))


def _errors(items: Iterable[object]) -> list[str]:
    return [str(i) for i in items if isinstance(i, AttributionError)]


def _texts(items: Iterable[object]) -> list[str]:
    return [i.text for i in items if isinstance(i, Article)]


def test_a_lone_surrogate_in_jsonl_is_an_error_for_its_line(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(
        json.dumps({"text": GOOD})
        + "\n"
        + '{"text": "Selon l\'AFP, \\ud800 il pleut."}\n'
        + '{"text": "Il neige.", "title": "\\udfff"}\n',
        "utf-8",
    )
    items = _items(path)
    assert _texts(items) == [GOOD]
    assert _errors(items) == [
        f"{path}:2: 'text' holds a lone surrogate, not text",
        f"{path}:3: 'title' holds a lone surrogate, not text",
    ]


def test_a_jsonl_line_nested_5000_deep_is_an_error_for_its_line(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    deep = '{"text": "x", "extra": ' + "[" * 5000 + "]" * 5000 + "}"
    path.write_text(deep + "\n" + json.dumps({"text": GOOD}) + "\n", "utf-8")
    items = _items(path)
    assert _texts(items) == [GOOD]
    assert _errors(items) == [f"{path}:1: invalid JSON: nested too deeply"]


def test_an_impossible_front_matter_date_is_an_error_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(f"---\ntitle: Le pont\ndate: 2024-13-45\n---\n{GOOD}\n", "utf-8")
    assert _errors(_items(path)) == [
        f"{path}:3: front matter: 'date' '2024-13-45' is not a valid date"
    ]


def test_a_block_over_the_parser_limit_is_cut() -> None:
    text = "Selon l'AFP, " + "x" * 1_000_001 + "."
    blocks = list(bounded([(0, text)]))
    assert all(len(b) <= MAX_BLOCK_CHARS for _, b in blocks)
    assert "".join(b for _, b in blocks) == text
    assert list(bounded(paragraphs(GOOD))) == [(0, GOOD)]


class _PickyBackend:
    """Fails on any batch holding the word 'poison', like a parser on a text it refuses."""

    name = "conllu"

    def parse(self, texts: Iterable[str], blocks: object = None) -> Iterator[Parse]:
        texts = list(texts)
        if any("poison" in t for t in texts):
            raise ValueError("[E088] Text of length 1000001 exceeds maximum of 1000000.\nmore")
        for _ in texts:
            yield conllu("verb_que")


def test_an_article_the_parser_refuses_does_not_sink_its_batch() -> None:
    annotator = Annotator(load_registry(use_user_file=False), gate=False)
    annotator._backends["fr"] = _PickyBackend()  # type: ignore[assignment]
    text = conllu("verb_que").text
    articles = [
        Article(id="a", text=text, lang="fr"),
        Article(id="b", text="poison " + text, lang="fr"),
        Article(id="c", text=text, lang="fr"),
    ]
    results = list(annotator.annotate(articles))
    assert [type(r) for r in results] == [AnnotatedArticle, AttributionError, AnnotatedArticle]
    assert (
        str(results[1])
        == "b: cannot parse: ValueError: [E088] Text of length 1000001 exceeds maximum of 1000000."
    )


def test_a_path_that_cannot_be_examined_is_an_error_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text(GOOD, "utf-8")
    too_long = tmp_path / ("a" * 300 + ".txt")  # stat fails with ENAMETOOLONG
    items = _items(too_long, tmp_path / "ok.txt")
    assert _texts(items) == [GOOD]
    [err] = _errors(items)
    assert err.startswith(f"{too_long}: cannot read: ")


def test_an_unreadable_file_on_the_command_line_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "locked" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(GOOD, "utf-8")
    (tmp_path / "ok.txt").write_text(GOOD, "utf-8")
    real_stat = Path.stat

    def stat(self: Path, **kwargs: bool) -> os.stat_result:  # as root, chmod 000 still reads
        if self == secret:
            raise PermissionError(13, "Permission denied", str(self))
        return real_stat(self, **kwargs)

    monkeypatch.setattr(Path, "stat", stat)
    items = _items(secret, tmp_path / "ok.txt")
    assert _texts(items) == [GOOD]
    assert _errors(items) == [f"{secret}: cannot read: Permission denied"]


def test_fifos_and_devices_are_refused_without_reading_them(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")  # reading it would wait for a writer forever
    (tmp_path / "zero.txt").symlink_to("/dev/zero")  # the size check sees 0 bytes
    (tmp_path / "random.jsonl").symlink_to("/dev/urandom")
    result = _cli(
        "annotate", "--no-store", "--lang", "fr", str(tmp_path), "/dev/zero", cwd=tmp_path
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: {tmp_path}/pipe.txt: not a regular file (a FIFO)",
        f"error: {tmp_path}/random.jsonl: not a regular file (a character device)",
        f"error: {tmp_path}/zero.txt: not a regular file (a character device)",
        "error: /dev/zero: not a regular file (a character device)",
    ]


def _limited() -> None:  # a run that reads without bound fails here instead of the machine
    resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "attribution.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
        timeout=120,
        preexec_fn=_limited,
    )


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "0"])
def test_a_max_mb_that_is_not_a_size_is_one_line(tmp_path: Path, value: str) -> None:
    result = _cli("annotate", "--no-store", f"--max-mb={value}", "x.txt", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: --max-mb must be a positive number of megabytes, not {float(value)}"
    ]


@pytest.mark.model
@pytest.mark.slow
def test_every_bad_input_is_one_line_and_the_others_are_annotated(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "01_good.txt").write_text(GOOD, "utf-8")
    (corpus / "02_surrogate.jsonl").write_text(
        json.dumps({"id": "s1", "text": GOOD}) + '\n{"text": "Selon l\'AFP, \\ud800 oui."}\n',
        "utf-8",
    )
    (corpus / "03_nested.jsonl").write_text("[" * 5000 + "]" * 5000 + "\n", "utf-8")
    (corpus / "04_date.md").write_text(f"---\ndate: 2024-13-45\n---\n{GOOD}\n", "utf-8")
    (corpus / "05_long.txt").write_text("Selon l'AFP, " + "x" * 1_000_001 + ".", "utf-8")
    os.mkfifo(corpus / "06_pipe.txt")
    (corpus / "07_zero.txt").symlink_to("/dev/zero")
    (corpus / "08_last.txt").write_text("D'après l'AFP, la route est coupée.", "utf-8")
    result = _cli(
        "annotate", "--no-store", "--lang", "fr", "--max-mb", "2", str(corpus), cwd=tmp_path
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "internal error" not in result.stderr
    errors = result.stderr.splitlines()
    expected = [
        f"error: {corpus}/02_surrogate.jsonl:2: ",
        f"error: {corpus}/03_nested.jsonl:1: ",
        f"error: {corpus}/03_nested.jsonl: no article",
        f"error: {corpus}/04_date.md:2: ",
        f"error: {corpus}/06_pipe.txt: not a regular file",
        f"error: {corpus}/07_zero.txt: not a regular file",
    ]
    assert len(errors) == len(expected), errors
    for line, start in zip(errors, expected, strict=True):
        assert line.startswith(start), (line, start)
    articles = {json.loads(line)["article"] for line in result.stdout.splitlines()}
    assert articles == {
        f"{corpus}/01_good.txt",
        "s1",
        f"{corpus}/05_long.txt",
        f"{corpus}/08_last.txt",
    }
