"""Annotations as JSON Lines shards: one line per article, with its text, sentence counts
and attribution records (the output contract).

A Dask worker writes one shard per chunk of input files, on storage the cluster shares;
`attribution import` loads shards into a store in file-name order, which is input order.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from attribution.errors import InputError
from attribution.output import FIELDS, ArticleRecord

SHARD_PATTERN = "part-*.jsonl"
_RECORD = TypeAdapter(ArticleRecord)


class _Row(BaseModel):
    """One attribution record of a shard, typed as the output contract has it."""

    model_config = ConfigDict(strict=True, extra="forbid")

    article: str
    attribution_id: str
    sentence: str | None
    claim: str
    claim_start: int
    claim_end: int
    cue: str | None
    cue_type: str | None
    source: str | None
    source_start: int | None
    source_end: int | None
    source_kind: str | None
    source_resolved: str | None
    source_description: str | None
    outlet: str | None
    via: str | None
    outlet_match: str | None
    direct_quote: bool
    confidence: float | None
    registry_hash: str | None


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
    for _, _, item in read_located(paths):
        yield item


def read_located(paths: Iterable[Path]) -> Iterator[tuple[Path, int, ArticleRecord | InputError]]:
    """As `read_shards`, each with its shard and line."""
    for path in shard_files(paths):
        try:
            with path.open("rb") as lines:
                for number, line in enumerate(lines, 1):
                    if line.strip():
                        yield path, number, _parse(path, number, line)
        except OSError as err:
            yield path, 0, InputError(path, f"cannot read: {err.strerror or err}")


def _parse(path: Path, number: int, line: bytes) -> ArticleRecord | InputError:
    try:
        record = _RECORD.validate_json(line)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return InputError(
            path, f"not a shard record: {where + ': ' if where else ''}{first['msg']}", number
        )
    size = len(record.article.original)
    for k, row in enumerate(record.attributions):
        missing = [f for f in FIELDS if f not in row]
        if missing:
            return InputError(path, f"an attribution lacks {', '.join(missing)}", number)
        try:
            r = _Row.model_validate(row)
        except ValidationError as err:
            first = err.errors()[0]
            field = ".".join(str(part) for part in first["loc"])
            return InputError(path, f"attributions[{k}].{field}: {first['msg']}", number)
        problem = _offsets_problem(r, size)
        if r.article != record.article.id:
            problem = f"article {r.article!r} is not the record's article {record.article.id!r}"
        if problem:
            return InputError(path, f"attributions[{k}]: {problem}", number)
    return record


def _offsets_problem(row: _Row, size: int) -> str | None:
    spans: list[tuple[str, int | None, int | None]] = [("claim", row.claim_start, row.claim_end)]
    if row.source_start is not None or row.source_end is not None:
        spans.append(("source", row.source_start, row.source_end))
    for name, start, end in spans:
        if start is None or end is None or not 0 <= start <= end <= size:
            return (
                f"{name}_start {start} and {name}_end {end} are not offsets into the "
                f"article's {size} characters"
            )
    return None
