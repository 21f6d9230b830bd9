"""Shards, the plumbing of the engines, and the article count behind the progress bar."""

from __future__ import annotations

import json
import pickle
import tempfile
from collections.abc import Iterator
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from attribution.engine import chunked, in_order
from attribution.errors import InputError
from attribution.ingest import count_articles
from attribution.model import Article
from attribution.output import FIELDS, ArticleRecord
from attribution.shards import read_shards, shard_files, shard_name, write_shard

TEXT = "Selon l'AFP, le pont tenait toujours."


def row(**changes: object) -> dict[str, object]:
    """One attribution as the output contract has it: every key of FIELDS."""
    base: dict[str, object] = {
        "article": "a1",
        "attribution_id": "a1-0001",
        "sentence": TEXT,
        "claim": "le pont tenait toujours",
        "claim_start": 13,
        "claim_end": 36,
        "cue": "Selon",
        "cue_type": "selon",
        "source": "l'AFP",
        "source_start": 6,
        "source_end": 11,
        "source_kind": "outlet",
        "source_resolved": None,
        "source_description": None,
        "outlet": "afp",
        "via": None,
        "outlet_match": None,
        "direct_quote": False,
        "confidence": 0.875,
        "registry_hash": "abc123",
    }
    assert tuple(base) == FIELDS
    return {**base, **changes}


def record(article_id: str = "a1") -> ArticleRecord:
    article = Article(
        id=article_id,
        text=TEXT,
        title="Le pont de Deir ez-Zor « coupé » — été 2024",
        date="2024-03-28",
        publisher="afp",
        lang="fr",
        path=f"/in/{article_id}.txt",
    )
    return ArticleRecord(article, [row(article=article_id)], (1, 1, 0), "spacy", "abc123")


def shard_line(rec: ArticleRecord) -> bytes:
    """The bytes of one shard line, as write_shard writes them."""
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / shard_name(0)
        write_shard(path, [rec])
        return path.read_bytes().rstrip(b"\n")


# --- writing and reading shards ----------------------------------------------------------


def test_a_record_survives_a_round_trip_through_a_shard(tmp_path: Path) -> None:
    path = tmp_path / shard_name(0)
    records = [record("a1"), record("a2")]
    assert write_shard(path, records) == 2
    assert list(read_shards([path])) == records
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no `.partial` left behind


def test_shard_names_sort_in_input_order() -> None:
    assert sorted([shard_name(10), shard_name(9), shard_name(100)]) == [
        shard_name(9),
        shard_name(10),
        shard_name(100),
    ]


def test_a_directory_gives_its_shards_in_name_order_and_nothing_else(tmp_path: Path) -> None:
    for name in (
        "part-000002.jsonl",
        "part-000000.jsonl",
        "part-000001.jsonl",
        "part-000003.jsonl.partial",  # a worker killed while writing
        "notes.jsonl",
        "README.txt",
    ):
        (tmp_path / name).write_bytes(b"")
    single = tmp_path / "notes.jsonl"
    assert [p.name for p in shard_files([tmp_path])] == [
        "part-000000.jsonl",
        "part-000001.jsonl",
        "part-000002.jsonl",
    ]
    assert list(shard_files([single])) == [single]  # a file is taken as given


def test_each_bad_line_is_an_error_naming_file_and_line_and_good_lines_still_load(
    tmp_path: Path,
) -> None:
    good = [record("a1"), record("a2"), record("a3")]
    no_article = json.loads(shard_line(good[0]))
    del no_article["article"]
    lacking = json.loads(shard_line(good[0]))
    del lacking["attributions"][0]["claim"]
    lines = [
        shard_line(good[0]),  # 1
        b"{not json",  # 2
        b"",  # 3: blank, skipped
        json.dumps(no_article).encode(),  # 4
        shard_line(good[1]),  # 5
        json.dumps(lacking).encode(),  # 6
        b'{"article": "\xff\xfe caf\xe9"}',  # 7: not UTF-8
        b"   ",  # 8: blank, skipped
        shard_line(good[2]),  # 9
    ]
    path = tmp_path / shard_name(0)
    path.write_bytes(b"\n".join(lines) + b"\n")

    items = list(read_shards([path]))

    assert [i for i in items if isinstance(i, ArticleRecord)] == good
    errors = [i for i in items if isinstance(i, InputError)]
    assert len(items) == len(good) + len(errors)
    assert [e.line for e in errors] == [2, 4, 6, 7]
    for e in errors:
        assert str(e).startswith(f"{path}:{e.line}: ")
        assert e.path == str(path)
    assert "not a shard record" in str(errors[0])
    assert "article" in str(errors[1])
    assert str(errors[2]).endswith("an attribution lacks claim")
    assert "not a shard record" in str(errors[3])


def test_an_unreadable_shard_is_one_error_and_the_next_shard_still_loads(tmp_path: Path) -> None:
    missing = tmp_path / "part-000000.jsonl"
    present = tmp_path / "part-000001.jsonl"
    write_shard(present, [record()])
    first, second = read_shards([missing, present])
    assert isinstance(first, InputError)
    assert str(first).startswith(f"{missing}: cannot read")
    assert second == record()


GOOD_LINE = shard_line(record())


@st.composite
def mangled_line(draw: st.DrawFn) -> bytes:
    """A good shard line with a slice replaced by random bytes."""
    start = draw(st.integers(0, len(GOOD_LINE)))
    end = draw(st.integers(start, len(GOOD_LINE)))
    return GOOD_LINE[:start] + draw(st.binary(max_size=20)) + GOOD_LINE[end:]


@settings(max_examples=200, deadline=None)
@given(lines=st.lists(st.one_of(st.binary(max_size=200), st.just(GOOD_LINE), mangled_line())))
def test_reading_any_bytes_gives_records_or_input_errors_never_a_crash(
    lines: list[bytes],
) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / shard_name(0)
        path.write_bytes(b"\n".join(lines))
        for item in read_shards([path]):
            assert isinstance(item, ArticleRecord | InputError)
            if isinstance(item, InputError):
                assert str(item).startswith(f"{path}:{item.line}: ")


def test_an_input_error_survives_pickling() -> None:
    """Errors cross from worker processes to the parent as pickles."""
    for error in (InputError("/in/a.txt", "empty file"), InputError("/in/b.jsonl", "bad", 7)):
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is InputError
        assert (str(copy), copy.path, copy.line, copy.message) == (
            str(error),
            error.path,
            error.line,
            error.message,
        )


# --- engine plumbing ---------------------------------------------------------------------


class FakeFuture:
    def __init__(self, index: int) -> None:
        self.index = index

    def result(self) -> list[tuple[int, str]]:
        return [(self.index, "first"), (self.index, "second")]


def test_in_order_gives_results_in_order_with_at_most_window_futures_started() -> None:
    for window in (1, 2, 3):
        started: list[int] = []

        def futures(n: int, started: list[int] = started) -> Iterator[FakeFuture]:
            for k in range(n):
                started.append(k)
                yield FakeFuture(k)

        seen = []
        for index, part in in_order(futures(7), window):
            # the future being consumed, and at most window - 1 more, have been started
            assert len(started) <= index + window, (window, index, len(started))
            seen.append((index, part))
        assert seen == [(k, part) for k in range(7) for part in ("first", "second")]
        assert started == list(range(7))


def test_in_order_keeps_window_futures_in_flight() -> None:
    """It does start ahead: while the first result is consumed, `window` are started."""
    started: list[int] = []

    def futures() -> Iterator[FakeFuture]:
        for k in range(5):
            started.append(k)
            yield FakeFuture(k)

    results = in_order(futures(), window=3)
    next(results)
    assert started == [0, 1, 2]


def test_chunked_splits_into_lists_of_the_size_and_a_shorter_last() -> None:
    items = [f"f{k}" for k in range(7)]
    assert list(chunked(items, 3)) == [["f0", "f1", "f2"], ["f3", "f4", "f5"], ["f6"]]
    assert list(chunked(items[:6], 3)) == [["f0", "f1", "f2"], ["f3", "f4", "f5"]]
    assert list(chunked(iter(items), 10)) == [items]
    assert list(chunked([], 3)) == []


# --- the count behind the progress bar ---------------------------------------------------


def test_count_articles_counts_files_and_non_blank_jsonl_lines(tmp_path: Path) -> None:
    text = tmp_path / "a.txt"
    text.write_text(TEXT, encoding="utf-8")
    jsonl = tmp_path / "b.jsonl"
    jsonl.write_text('{"text": "un"}\n\n{"text": "deux"}\n{"text": "trois"}\n', encoding="utf-8")
    empty = tmp_path / "c.jsonl"
    empty.write_bytes(b"\n\n")
    assert count_articles([text]) == 1
    assert count_articles([jsonl]) == 3
    assert count_articles([tmp_path / "missing.jsonl"]) == 1  # one error to report
    assert count_articles([tmp_path / "missing.txt"]) == 1
    assert count_articles([empty]) == 1  # one "no article" error
    assert count_articles([text, jsonl, tmp_path / "missing.jsonl"]) == 5
