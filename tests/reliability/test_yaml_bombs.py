"""Round two, security and bounds: YAML that would blow up, nest without end, or lose a
value is refused with its file and line, before anything is built."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from attribution.errors import InputError, RegistryError
from attribution.ingest import read_articles
from attribution.model import Article
from attribution.registry import load_file

HEAD = "schema_version: 1\noutlets:\n"
OUTLET = "- id: nour\n  name: Al-Nour\n  type: newspaper\n"


def bomb(levels: int, indent: str = "") -> str:
    lines = [f'{indent}l0: &l0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for k in range(1, levels):
        lines.append(f"{indent}l{k}: &l{k} [" + ", ".join([f"*l{k - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def _registry(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "reg.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _refused(path: Path, line: int, words: str) -> None:
    with pytest.raises(RegistryError) as err:
        load_file(path)
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(f"{path}:{line}: "), message
    assert re.search(words, message), message


def test_an_alias_bomb_in_a_registry_is_refused_at_its_first_alias(tmp_path: Path) -> None:
    ratings = "  ratings:\n  - provider: x\n    retrieved: 2024-01-01\n    values:\n" + bomb(
        6, "      "
    )
    path = _registry(tmp_path, HEAD + OUTLET + ratings)
    _refused(path, 11, r"aliases \(\*l0\) are not allowed")


def test_an_alias_bomb_in_front_matter_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: Le pont\n" + bomb(6) + "---\nSelon l'AFP, il pleut.\n", "utf-8")
    [err] = list(read_articles([path], lang="fr"))
    assert isinstance(err, InputError)
    assert err.line == 4
    assert "aliases (*l0) are not allowed" in str(err)


def test_plain_front_matter_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: Le pont\ndate: 2024-03-28\n---\nSelon l'AFP, il pleut.\n", "utf-8")
    [article] = list(read_articles([path], lang="fr"))
    assert isinstance(article, Article)
    assert (article.title, article.date) == ("Le pont", "2024-03-28")


def test_a_registry_nested_10000_deep_is_one_error(tmp_path: Path) -> None:
    path = _registry(tmp_path, HEAD + OUTLET + "  notes: " + "[" * 10_000 + "]" * 10_000 + "\n")
    _refused(path, 6, "nested more than")


def test_a_5000_digit_integer_is_one_error(tmp_path: Path) -> None:
    path = _registry(
        tmp_path,
        HEAD + OUTLET + "  ratings:\n  - provider: x\n    retrieved: "
        "2024-01-01\n    values: {score: " + "9" * 5000 + "}\n",
    )
    _refused(path, 9, "integer of 5000 digits")


@pytest.mark.parametrize(("encoding", "line"), [("latin-1", 6), ("utf-16", 1), ("utf-16-le", 1)])
def test_a_registry_not_in_utf8_is_one_error(tmp_path: Path, encoding: str, line: int) -> None:
    path = _registry(tmp_path, (HEAD + OUTLET + "  notes: télévision\n").encode(encoding))
    _refused(path, line, "UTF-8")


def test_a_duplicate_key_is_refused_not_silently_replaced(tmp_path: Path) -> None:
    path = _registry(tmp_path, HEAD + OUTLET + "  type: tv\n")
    _refused(path, 6, r"duplicate key 'type' \(first at line 5\)")


@pytest.mark.parametrize(
    "text",
    [
        HEAD + OUTLET + "  notes: " + "[" * 10_000 + "]" * 10_000 + "\n",
        HEAD + OUTLET + "  type: tv\n",
        HEAD + OUTLET + "  x: &a [1]\n  y: *a\n",
    ],
    ids=["deep", "duplicate", "alias"],
)
def test_registry_check_says_so_in_one_line(tmp_path: Path, text: str) -> None:
    path = _registry(tmp_path, text)
    result = subprocess.run(
        [sys.executable, "-m", "attribution.cli", "registry", "check", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith(f"{path}:"), line
