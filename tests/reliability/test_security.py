"""No code runs from input; exports are safe to open; paths from input are never written."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from attribution.errors import InputError, RegistryError
from attribution.ingest import read_articles
from attribution.model import Article
from attribution.output import spreadsheet_safe, write_csv
from attribution.registry import load_file

PACKAGE = Path(__file__).parent.parent.parent / "attribution"
EVIL = "!!python/object/apply:os.system ['touch {marker}']"


def test_yaml_tags_never_run_code(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    registry = tmp_path / "reg.yaml"
    registry.write_text(f"schema_version: 1\noutlets: {EVIL.format(marker=marker)}\n", "utf-8")
    with pytest.raises(RegistryError):
        load_file(registry)
    article = tmp_path / "a.md"
    article.write_text(f"---\ntitle: {EVIL.format(marker=marker)}\n---\nIl pleut.\n", "utf-8")
    [err] = list(read_articles([article]))
    assert isinstance(err, InputError)
    assert not marker.exists()


def test_no_eval_exec_or_pickle_in_the_package() -> None:
    """Only the compiled registry unpickles, and only a file of its own: owned by this
    user, writable by no one else, its header carrying the key asked for (a planted file
    is never unpickled: tests/test_compiled.py)."""
    pattern = re.compile(r"\b(eval|exec|pickle|marshal|shelve)\s*[(.]")
    for path in PACKAGE.rglob("*.py"):
        found = {m.group(1) for m in pattern.finditer(path.read_text(encoding="utf-8"))}
        assert found <= ({"pickle"} if path.name == "compiled.py" else set()), path


def test_html_scripts_are_never_text(tmp_path: Path) -> None:
    page = tmp_path / "a.html"
    page.write_text(
        "<html><body><script>document.write('INJECTED')</script><article><p>Selon l'AFP, "
        "le pont a cédé dans la nuit de dimanche à lundi, ont indiqué des habitants joints par "
        "téléphone.</p><p>Les secours sont arrivés au matin selon la protection civile.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    [article] = list(read_articles([page]))
    assert isinstance(article, Article)
    assert "INJECTED" not in article.text


@pytest.mark.parametrize("cell", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x", "\r=x"])
def test_formula_cells_are_escaped(cell: str) -> None:
    assert spreadsheet_safe(cell) == "'" + cell
    out = io.StringIO()
    write_csv([{"claim": cell}], out, ("claim",))
    assert out.getvalue().splitlines()[1].lstrip('"').startswith("'")


@pytest.mark.slow
def test_paths_from_input_are_never_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json
    import subprocess
    import sys

    work = tmp_path / "work"
    work.mkdir()
    jsonl = work / "a.jsonl"
    jsonl.write_text(
        json.dumps({"id": "../../escaped", "text": "Il pleut.", "url": "file:///etc/passwd"})
        + "\n",
        "utf-8",
    )
    before = set(tmp_path.rglob("*"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "attribution.cli",
            "annotate",
            str(jsonl),
            "--no-store",
            "--lang",
            "fr",
        ],
        cwd=work,
        capture_output=True,
        check=False,
    )
    assert set(tmp_path.rglob("*")) == before
