"""The command line as a user meets it: the default backend, real files, real output."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from attribution.output import FIELDS

ARTICLE = """28-03-2026 10:57 PM

Crues dans la vallée de Kfar Nour

Crues dans la vallée de Kfar Nour

Selon le quotidien libanais Assafir, la route du col est coupée depuis lundi.

Des secours sont arrivés dans la nuit, selon l'Observatoire syrien des droits de l'homme (OSDH).

Le ministère de l'Intérieur a affirmé que le pont tenait toujours.
"""


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The CLI in a subprocess, in a scratch directory (annotate stores to ./attribution.db)."""
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        return subprocess.run(
            [sys.executable, "-m", "attribution.cli", *args],
            capture_output=True,
            text=True,
            cwd=cwd or scratch,
            check=False,
        )


@pytest.fixture(scope="module")
def article(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("in") / "crues.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


@pytest.mark.model
def test_annotate_jsonl_follows_the_output_contract(article: Path) -> None:
    result = run("annotate", str(article))
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert all(tuple(row) == FIELDS for row in rows)
    by_cue = {(r["cue"], r["source"]): r for r in rows}
    assifir = by_cue[("Selon", "le quotidien libanais Assafir")]
    assert assifir["outlet"] == "assafir"
    assert assifir["claim"] == "la route du col est coupée depuis lundi"
    text = ARTICLE.split("Kfar Nour\n\n", 2)[2].strip()
    assert text[assifir["claim_start"] : assifir["claim_end"]] == assifir["claim"]
    osdh = by_cue[("selon", "l'Observatoire syrien des droits de l'homme (OSDH)")]
    assert osdh["outlet"] == "osdh"
    verb = by_cue[("a affirmé", "Le ministère de l'Intérieur")]
    assert (verb["claim"], verb["source_kind"]) == ("le pont tenait toujours", "official")


@pytest.mark.model
def test_annotate_csv_opens_in_pandas(article: Path, tmp_path: Path) -> None:
    out = tmp_path / "claims.csv"
    result = run("annotate", str(article), "--format", "csv", "-o", str(out))
    assert result.returncode == 0, result.stderr
    frame = pd.read_csv(out)
    assert tuple(frame.columns) == FIELDS
    assert "assafir" in set(frame["outlet"].dropna())


@pytest.mark.model
def test_bad_inputs_are_one_line_each_and_the_rest_is_processed(
    article: Path, tmp_path: Path
) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "latin1.txt").write_bytes("Selon l'armée, c'était fini.".encode("latin-1"))
    result = run(
        "annotate",
        str(tmp_path / "empty.txt"),
        str(article),
        str(tmp_path / "latin1.txt"),
        str(tmp_path / "missing.txt"),
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    errors = [line for line in lines if line.startswith("error: ")]
    assert len(errors) == 2  # the Latin-1 file is read, with a note saying so
    others = [line for line in lines if line not in errors]
    assert others[0].startswith("note: ")
    assert "read as" in others[0]
    assert others[1:] == ["attribution.db: 2 new"]
    assert "Traceback" not in result.stderr
    assert len(result.stdout.splitlines()) >= 3


def test_user_errors_never_show_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema_version: 2\n", encoding="utf-8")
    result = run("registry", "check", str(bad))
    assert result.returncode == 1
    assert result.stderr.startswith(f"{bad}:1: schema_version")
    assert "Traceback" not in result.stderr


def test_registry_find_explains_the_match() -> None:
    result = run("registry", "find", "la chaîne de télévision Al-Manar")
    assert result.returncode == 0
    assert "outlet:     al-manar" in result.stdout


def test_readme_test_command_is_what_ci_runs() -> None:
    root = Path(__file__).parent.parent
    ci = (root / ".ci" / "run").read_text(encoding="utf-8")
    readme = (root / "README.md").read_text(encoding="utf-8")
    blocks = [b.split("\n", 1)[1].split("```", 1)[0].strip() for b in readme.split("```bash")[1:3]]
    assert blocks[1] in ci.splitlines()
    assert blocks[0].startswith("python -m pip install .")


def test_table_output_is_readable() -> None:
    from attribution.output import render_table

    out = io.StringIO()
    render_table(
        [
            {
                "cue": "Selon",
                "source": "X",
                "source_resolved": None,
                "source_kind": "outlet",
                "outlet": "x",
                "via": None,
                "claim": "il pleut",
                "direct_quote": False,
            }
        ],
        out,
    )
    assert "il pleut" in out.getvalue()


def test_registry_find_exits_0_on_an_ambiguity_and_names_every_candidate() -> None:
    result = run("registry", "find", "Al-Akhbar")
    assert result.returncode == 0, result.stderr
    assert "al-akhbar-lb" in result.stdout
    assert "al-akhbar-eg" in result.stdout
    assert run("registry", "find", "Zorglub Hebdomadaire Inconnu").returncode == 1
