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


def run(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The CLI in a subprocess, in a scratch directory (annotate stores to ./attribution.db)."""
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        return subprocess.run(
            [sys.executable, "-m", "attribution.cli", *args],
            capture_output=True,
            text=True,
            cwd=cwd or scratch,
            check=False,
            env=env,
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
    # offsets index the file as given, its date and title lines included
    assert ARTICLE[assifir["claim_start"] : assifir["claim_end"]] == assifir["claim"]
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


@pytest.mark.model
def test_offsets_index_the_input_file_and_with_text_carries_it(tmp_path: Path) -> None:
    path = tmp_path / "crues.txt"
    path.write_bytes(ARTICLE.replace("\n", "\r\n").encode("utf-8"))  # CR LF, a header
    result = run("annotate", str(path), "--no-store", "--with-text")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    given = path.read_bytes().decode("utf-8")
    assert rows[0]["article_text"] == given
    assert all(row["article_text"] is None for row in rows[1:])  # once per article
    for row in rows:
        assert given[row["claim_start"] : row["claim_end"]] == row["claim"]
        assert given[row["source_start"] : row["source_end"]] == row["source"]
    assert "--format jsonl" in run("annotate", str(path), "--with-text", "-f", "csv").stderr


@pytest.mark.model
def test_an_unchanged_rerun_does_not_load_the_model(article: Path, tmp_path: Path) -> None:
    import os

    db = str(tmp_path / "a.db")
    first = run("annotate", str(article), "--db", db, "-f", "csv")
    assert first.returncode == 0, first.stderr
    # spaCy cannot even be imported now: only a run that parses nothing can succeed
    blocked = tmp_path / "blocked"
    (blocked / "spacy").mkdir(parents=True)
    (blocked / "spacy" / "__init__.py").write_text("raise ImportError('no model here')\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(blocked), *sys.path])}
    again = run("annotate", str(article), "--db", db, "-f", "csv", env=env)
    assert again.returncode == 0, again.stderr
    assert again.stdout == first.stdout
    assert again.stderr.strip() == f"{db}: 1 unchanged"
    article.write_text(ARTICLE + "\nSelon l'AFP, la pluie a cessé.\n", encoding="utf-8")
    try:  # a changed article is parsed (and so needs the model)
        changed = run("annotate", str(article), "--db", db, env=env)
        assert changed.returncode == 1
        assert "no model here" in changed.stderr
    finally:
        article.write_text(ARTICLE, encoding="utf-8")


def test_nothing_to_annotate_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.pdf").write_bytes(b"%PDF")
    result = run("annotate", str(tmp_path / "empty"), str(tmp_path / "other"))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: {tmp_path / 'empty'}: no article file here "
        "(looked for .txt, .md, .html, .htm, .jsonl)",
        f"error: {tmp_path / 'other'}: no article file here "
        "(looked for .txt, .md, .html, .htm, .jsonl)",
        "error: nothing to annotate",
    ]
    assert not (tmp_path / "attribution.db").exists()


def test_review_does_not_create_a_store_by_mistake(tmp_path: Path) -> None:
    result = run("review", str(tmp_path / "atribution.db"))
    assert result.returncode == 1
    assert result.stderr == (
        f"error: {tmp_path / 'atribution.db'}: no such database (give articles to annotate "
        "into it, or --new to create it empty)\n"
    )
    assert list(tmp_path.iterdir()) == []
    empty = run("review", str(tmp_path / "a.db"), str(tmp_path))
    assert (empty.returncode, empty.stderr.splitlines()[-1]) == (1, "error: nothing to annotate")
    assert list(tmp_path.iterdir()) == []


def test_the_table_names_the_article_when_there_are_several() -> None:
    from attribution.output import render_table

    def row(article: str, claim: str) -> dict[str, object]:
        return {
            "article": article,
            "cue": "Selon",
            "source": "X",
            "source_resolved": None,
            "source_kind": "publisher_self",
            "outlet": None,
            "via": None,
            "claim": claim,
            "direct_quote": False,
        }

    out = io.StringIO()
    render_table([row("in/first.txt", "un"), row("in/second.txt", "deux")], out)
    table = out.getvalue()
    assert "article" in table
    assert "first.txt" in table
    assert "second.txt" in table
    assert "publisher_self" in table  # a kind is never cut
    out = io.StringIO()
    render_table([row("in/first.txt", "un")], out)
    assert "article" not in out.getvalue()


def test_a_missing_model_is_one_error_line_and_no_empty_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from attribution import cli, pipeline
    from attribution.errors import ModelNotInstalled

    def missing(name: str, lang: str) -> object:
        raise ModelNotInstalled(f"the spaCy model for {lang!r} is not installed")

    monkeypatch.setattr(pipeline, "get_backend", missing)
    for n in range(4):
        (tmp_path / f"{n}.txt").write_text("The minister said the bridge held.\n", "utf-8")
    args = ["attribution", "annotate", str(tmp_path), "--no-store", "-f", "table", "--lang", "en"]
    monkeypatch.setattr(sys, "argv", args)
    with pytest.raises(SystemExit) as stopped:
        cli.main()
    assert stopped.value.code == 1
    out, err = capsys.readouterr()
    assert out == ""  # no table, no record
    assert err.splitlines() == [
        f"error: the spaCy model for 'en' is not installed; 4 articles not annotated "
        f"({tmp_path}/0.txt, {tmp_path}/1.txt, {tmp_path}/2.txt, …)"
    ]


def test_registry_find_exits_0_on_an_ambiguity_and_names_every_candidate() -> None:
    result = run("registry", "find", "Al-Akhbar")
    assert result.returncode == 0, result.stderr
    assert "al-akhbar-lb" in result.stdout
    assert "al-akhbar-eg" in result.stdout
    assert run("registry", "find", "Zorglub Hebdomadaire Inconnu").returncode == 1
