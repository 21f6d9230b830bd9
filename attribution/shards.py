"""Annotations as JSON Lines shards: one line per article, with its text, sentence counts
and attribution records (the output contract).

A Dask worker writes one shard per chunk of input files, on storage the cluster shares;
`attribution import` loads shards into a store in file-name order, which is input order.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from attribution.errors import InputError
from attribution.output import FIELDS, ArticleRecord

SHARD_PATTERN = "part-*.jsonl"
_RECORD = TypeAdapter(ArticleRecord)


def shard_name(index: int) -> str:
    return f"part-{index:06d}.jsonl"


def write_shard(path: Path, records: Iterable[ArticleRecord]) -> int:
    """Write a shard whole or not at all (a killed worker leaves no half shard)."""
    partial = path.with_name(path.name + ".partial")
    n = 0
    with partial.open("wb") as out:
        for record in records:
            out.write(_RECORD.dump_json(record) + b"\n")
            n += 1
    os.replace(partial, path)
    return n


def shard_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Each path as given; a directory gives its shards in name order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(path.glob(SHARD_PATTERN))
        else:
            yield path


def read_shards(paths: Iterable[Path]) -> Iterator[ArticleRecord | InputError]:
    """Every record of every shard, or the error that stops a shard or one of its lines."""
    for path in shard_files(paths):
        try:
            with path.open("rb") as lines:
                for number, line in enumerate(lines, 1):
                    if line.strip():
                        yield _parse(path, number, line)
        except OSError as err:
            yield InputError(path, f"cannot read: {err.strerror or err}")


def _parse(path: Path, number: int, line: bytes) -> ArticleRecord | InputError:
    try:
        record = _RECORD.validate_json(line)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return InputError(
            path, f"not a shard record: {where + ': ' if where else ''}{first['msg']}", number
        )
    for row in record.attributions:
        missing = [f for f in FIELDS if f not in row]
        if missing:
            return InputError(path, f"an attribution lacks {', '.join(missing)}", number)
    return record
