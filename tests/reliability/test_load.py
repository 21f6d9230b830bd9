"""Round two, load: work grows linearly with the attributions of an article and the
aliases of a registry. Counted in operations, not timed (times are in bench/)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from attribution.extract import _drop_duplicates
from attribution.extract.rules import Finding
from attribution.model import Attribution, Cue, CueType, Parse, Sentence, Span
from attribution.pipeline import sentence_counts

READS = [0]


class _Tok:
    """A token that counts how often its index is read."""

    def __init__(self, i: int) -> None:
        self._i = i

    @property
    def i(self) -> int:
        READS[0] += 1
        return self._i


def _findings(n: int) -> list[Finding]:
    """n sentences "Selon l'AFP, oui.": a cue, a source, a one-word claim each."""
    out = []
    for k in range(n):
        cue, source, claim = _Tok(5 * k), _Tok(5 * k + 1), _Tok(5 * k + 3)
        out.append(
            Finding(k, [cue], CueType.PREPOSITION, "selon", [claim], source, "selon", 0.9)  # type: ignore[list-item, arg-type]
        )
    return out


def _reads(work: Any, n: int) -> int:
    READS[0] = 0
    work(n)
    return READS[0]


def test_dropping_duplicates_is_linear_in_the_findings() -> None:
    def work(n: int) -> None:
        assert len(_drop_duplicates(_findings(n))) == n

    small, large = _reads(work, 1000), _reads(work, 4000)
    assert large < 5 * small  # 16 times the work when quadratic


class _Counted(tuple):  # type: ignore[type-arg]
    """The sentences of a parse, counting how many are visited."""

    visits = 0

    def __iter__(self) -> Iterator[Any]:
        for item in super().__iter__():
            _Counted.visits += 1
            yield item

    def __getitem__(self, key: Any) -> Any:
        _Counted.visits += 1
        return super().__getitem__(key)


def _counts_visits(n: int) -> int:
    text = "Selon l'AFP, oui.\n" * n
    sentences = _Counted(Sentence(k, 18 * k, 18 * k + 17, 0, 0) for k in range(n))
    parse = Parse(text=text, tokens=(), sentences=sentences)
    attributions = [
        Attribution(
            "a",
            k,
            Cue(Span(18 * k, 18 * k + 5, "Selon"), CueType.PREPOSITION, "selon"),
            Span(18 * k + 13, 18 * k + 16, "oui"),
            None,
        )
        for k in range(n)
    ]
    _Counted.visits = 0
    assert sentence_counts(parse, attributions) == (n, 0, 0)
    return _Counted.visits


def test_sentence_counts_are_linear_in_the_attributions() -> None:
    small, large = _counts_visits(1000), _counts_visits(4000)
    assert large < 5 * small


def _registry_text(aliases: int) -> str:
    lines = [
        "schema_version: 1",
        "outlets:",
        "- id: big",
        "  name: Al-Kabir",
        "  type: tv",
        "  aliases:",
    ]
    lines += [f"  - {{text: Alias Nummer {k}, lang: fr}}" for k in range(aliases)]
    return "\n".join(lines) + "\n"


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml")
def test_a_registry_of_10000_aliases_is_parsed_once_by_libyaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pure Python YAML scanner took 22 s on it (and twice that for `find`); libyaml
    takes a fraction of a second. Timed in bench/registry_bench.py."""
    from yaml.scanner import Scanner

    from attribution.registry import load_file

    calls = [0]
    real = Scanner.check_token

    def counting(self: Any, *choices: Any) -> bool:
        calls[0] += 1
        return real(self, *choices)

    monkeypatch.setattr(Scanner, "check_token", counting)
    path = tmp_path / "big.yaml"
    path.write_text(_registry_text(10_000), encoding="utf-8")
    registry = load_file(path)
    [outlet] = registry.outlets
    assert len(outlet.aliases) == 10_000  # type: ignore[union-attr]
    assert calls[0] == 0


def test_a_registry_of_10000_aliases_matches(tmp_path: Path) -> None:
    from attribution.registry import load_registry

    path = tmp_path / "big.yaml"
    path.write_text(_registry_text(10_000), encoding="utf-8")
    registry = load_registry([path], use_user_file=False)
    assert registry.matcher.match("Alias Nummer 9999").outlet == "big"
    assert registry.matcher.match("Al Kabyr").outlet == "big"
