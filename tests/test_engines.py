"""Every engine gives the same output: one process, worker processes, a Dask cluster, and
Dask shards loaded with `attribution import`."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from attribution.cli import main
from attribution.engine import dask_client

# Imported here, not during a run: distributed's log handler keeps the stderr it finds at
# import, and a run's captured stderr is closed when the run ends.
pytest.importorskip("distributed")

pytestmark = pytest.mark.model

SAMPLES = Path(__file__).parent.parent / "samples" / "fr"


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str
    transcript: str  # stdout and stderr as written, interleaved


class _Recorded(io.StringIO):
    """A captured stream whose writes also go, in order, to the run's transcript."""

    def __init__(self, transcript: list[str]) -> None:
        super().__init__()
        self.transcript = transcript

    def write(self, s: str) -> int:
        n = super().write(s)  # first: click probes with a bytes write, which must fail here
        self.transcript.append(s)
        return n


def run(*args: str | Path) -> Run:
    """The CLI in this process, as `attribution ARGS...` (the model is loaded once)."""
    transcript: list[str] = []
    out, err = _Recorded(transcript), _Recorded(transcript)
    with (
        mock.patch.object(sys, "argv", ["attribution", *map(str, args)]),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
        pytest.raises(SystemExit) as exit_,
    ):
        main()
    code = exit_.value.code
    assert isinstance(code, int)
    return Run(code, out.getvalue(), err.getvalue(), "".join(transcript))


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Three sample articles with an empty file after the first, in that order."""
    directory = tmp_path_factory.mktemp("in")
    first, *rest = (shutil.copy(p, directory) for p in sorted(SAMPLES.iterdir())[:3])
    empty = directory / "00_empty.txt"
    empty.write_bytes(b"")
    return [Path(first), empty, *map(Path, rest)]


@pytest.fixture(scope="module")
def baseline(inputs: list[Path]) -> Run:
    """The default: one process, one model."""
    return run("annotate", *inputs, "--no-store")


def empty_file_error(inputs: list[Path]) -> str:
    return f"error: {inputs[1]}: empty file\n"


def test_the_baseline_annotates_every_article_and_reports_the_empty_file_in_order(
    inputs: list[Path], baseline: Run
) -> None:
    assert baseline.code == 1  # the empty file
    assert baseline.stderr == empty_file_error(inputs)
    articles = [json.loads(line)["article"] for line in baseline.stdout.splitlines()]
    assert articles == sorted(articles, key=[p.as_posix() for p in inputs].index)
    assert set(articles) == {p.as_posix() for p in inputs if p.stat().st_size}
    # the error comes between the records of the first article and those of the second
    before, after = baseline.transcript.split(empty_file_error(inputs))
    assert {json.loads(line)["article"] for line in before.splitlines()} == {inputs[0].as_posix()}
    assert inputs[0].as_posix() not in after


@pytest.mark.slow
def test_two_worker_processes_give_the_same_bytes_as_one(inputs: list[Path], baseline: Run) -> None:
    # one article a chunk, so that both workers get chunks and their results must be reordered
    parallel = run("annotate", *inputs, "--no-store", "--workers", "2", "--batch-size", "1")
    assert parallel.code == 1
    assert parallel.stdout == baseline.stdout
    assert parallel.transcript == baseline.transcript  # the error too comes back in order


@pytest.mark.slow
def test_a_dask_cluster_gives_the_same_bytes_as_one_process(
    inputs: list[Path], baseline: Run
) -> None:
    on_dask = run(
        "annotate", *inputs, "--no-store", "--engine", "dask", "--workers", "2", "--batch-size", "1"
    )
    assert on_dask.code == 1, on_dask.stderr
    assert on_dask.stdout == baseline.stdout
    assert on_dask.transcript == baseline.transcript


@pytest.mark.slow
def test_dask_shards_imported_give_the_same_store_as_a_local_run(
    inputs: list[Path], tmp_path: Path
) -> None:
    shards, sharded_db, local_db = (
        tmp_path / "shards",
        tmp_path / "sharded.db",
        tmp_path / "local.db",
    )
    on_dask = run(
        "annotate", *inputs, "--engine", "dask", "--workers", "2", "--batch-size", "1",
        "--shards", shards,
    )  # fmt: skip
    assert on_dask.code == 1
    assert on_dask.stdout == ""  # the articles went to the shards
    assert on_dask.stderr.splitlines() == [
        empty_file_error(inputs).strip(),
        f"{shards}: 3 shards; load them with: attribution import {shards}",
    ]

    imported = run("import", shards, "--db", sharded_db)
    assert (imported.code, imported.stderr) == (0, f"{sharded_db}: 3 new\n")
    again = run("import", shards, "--db", sharded_db)
    assert (again.code, again.stderr) == (0, f"{sharded_db}: 3 unchanged\n")

    local = run("annotate", *inputs, "--db", local_db)
    assert local.code == 1
    assert local.stderr.splitlines()[-1] == f"{local_db}: 3 new"

    for db in (sharded_db, local_db):
        exported = run("export", "--db", db, "--claims", db.with_suffix(".csv"))
        assert exported.code == 0, exported.stderr
    sharded_csv = sharded_db.with_suffix(".csv").read_bytes()
    assert sharded_csv.count(b"\n") > 3
    assert sharded_csv == local_db.with_suffix(".csv").read_bytes()


@pytest.mark.parametrize("option", ["--scheduler", "--shards"])
def test_dask_options_without_the_dask_engine_are_a_one_line_error(
    inputs: list[Path], tmp_path: Path, option: str
) -> None:
    value = "tcp://127.0.0.1:8786" if option == "--scheduler" else tmp_path / "shards"
    result = run("annotate", inputs[0], "--db", tmp_path / "a.db", option, value)
    assert result.code == 1
    assert result.stdout == ""
    assert result.stderr == "error: --scheduler and --shards need --engine dask\n"
    assert sorted(tmp_path.iterdir()) == []  # no store, no shards


def test_the_local_dask_cluster_closes_with_its_client() -> None:
    """Its scheduler and worker processes do not outlive the run (closing a client of
    `Client(cluster)` alone would leave them running until the Python process exits)."""
    import distributed
    from distributed.core import Status

    started: list[Any] = []

    class Recorded(distributed.LocalCluster):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            started.append(self)

    try:
        with mock.patch.object(distributed, "LocalCluster", Recorded), dask_client(None, 1):
            pass
        [cluster] = started
        assert cluster.status is Status.closed
    finally:
        for cluster in started:
            cluster.close()  # a no-op when closed: only a failure leaves one to clean up
